namespace CxrPacsAgent.Worker.State;

/// <summary>
/// Claims on jobs when several agents share one store (PostgreSQL). A claim is a lease measured on the database's
/// clock, kept alive by heartbeats, with a fencing counter: each new claim on a job counts it up, and a record made
/// under an older count (an agent that was paused or cut off past its lease) is refused. The embedded SQLite store has
/// one agent and no claims.
/// </summary>
public interface IJobLeases
{
    /// <summary>This agent's id in the store: host, process and a per-start suffix.</summary>
    string AgentId { get; }

    /// <summary>The model package this agent runs (name and version), written with each heartbeat for the others to show.</summary>
    string? Model { get; set; }

    /// <summary>Claims up to <paramref name="max"/> unfinished jobs that nobody holds or whose lease ran out.</summary>
    Task<IReadOnlyList<JobRef>> ClaimAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>The heartbeat: renews every lease this agent holds and records that it is alive.</summary>
    Task<LeaseRenewal> RenewAsync(CancellationToken cancellationToken = default);

    /// <summary>Gives up every lease this agent holds (a drain at stop), so others take the jobs at once.</summary>
    Task ReleaseAllAsync(CancellationToken cancellationToken = default);

    /// <summary>The agents that sent a heartbeat recently, with the claims each holds.</summary>
    Task<IReadOnlyList<AgentPresence>> AgentsAsync(CancellationToken cancellationToken = default);
}

/// <summary>What a heartbeat did: leases renewed, and those found lost (another agent claimed them since).</summary>
public sealed record LeaseRenewal(int Renewed, IReadOnlyList<long> LostJobIds);

/// <summary>An agent as the shared store knows it.</summary>
public sealed record AgentPresence(string AgentId, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, long JobClaims, long OutboxClaims)
{
    /// <summary>The model package it last said it runs; null before its model is loaded.</summary>
    public string? Model { get; init; }
}

/// <summary>
/// A record refused by the fence: the agent's claim on the job (or outbox item) is no longer the current one.
/// </summary>
/// <param name="Kind"><c>job</c> or <c>outbox</c>.</param>
/// <param name="Holder">The agent that holds it now; null when nobody does (the lease ran out).</param>
public sealed record FencedWrite(string Kind, long Id, long OurFence, long CurrentFence, string? Holder);
