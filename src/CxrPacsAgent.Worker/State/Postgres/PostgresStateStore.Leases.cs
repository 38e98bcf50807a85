using Microsoft.Extensions.Logging;
using System.Data.Common;

namespace CxrPacsAgent.Worker.State.Postgres;

/// <summary>Claims, heartbeats and the fence: what lets several agents share the jobs without doing any twice.</summary>
public sealed partial class PostgresStateStore
{
    /// <summary>How recent a heartbeat must be for <see cref="AgentsAsync"/> to list its agent.</summary>
    private static readonly TimeSpan PresenceWindow = TimeSpan.FromMinutes(10);

    public string? Model { get; set; }

    public async Task<IReadOnlyList<JobRef>> ClaimAsync(int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // SKIP LOCKED: agents claiming at the same moment take different jobs instead of queueing on the same rows.
        await using var command = Command(connection, null, $"""
            WITH free AS (
                SELECT id FROM jobs
                WHERE state < {(int)JobState.Reported} AND (claimed_by IS NULL OR lease_until < now())
                ORDER BY id LIMIT @max FOR UPDATE SKIP LOCKED)
            UPDATE jobs SET fence = jobs.fence + 1, {NewLease}
            FROM free WHERE jobs.id = free.id
            RETURNING jobs.id, jobs.version, jobs.fence
            """, ("max", max));
        var claimed = new List<JobRef>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var job = new JobRef(reader.GetInt64(0), reader.GetInt32(1));
            jobClaims[job.Id] = reader.GetInt64(2);
            claimed.Add(job);
        }
        claimed.Sort((a, b) => a.Id.CompareTo(b.Id));
        return claimed;
    }

    public async Task<LeaseRenewal> RenewAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, """
            INSERT INTO agents (agent_id, started_at, heartbeat_at, model) VALUES (@agent, now(), now(), @model)
            ON CONFLICT (agent_id) DO UPDATE SET heartbeat_at = now(), model = excluded.model
            """, cancellationToken, ("model", Model)).ConfigureAwait(false);
        var jobs = jobClaims.ToArray();
        var renewed = await RenewAsync(connection, "jobs", jobs, cancellationToken).ConfigureAwait(false);
        if (lostClaims.Count > MaxLostClaims)
        {
            lostClaims.Clear();
        }
        var lost = new List<long>();
        // Only the claims as they were read: one settled or made afresh meanwhile is not lost.
        foreach (var claim in jobs.Where(c => !renewed.Contains(c.Key)))
        {
            if (jobClaims.TryRemove(claim))
            {
                lostClaims[claim.Key] = claim.Value;
                lost.Add(claim.Key);
                LogLeaseLost(claim.Key);
            }
        }
        var items = itemClaims.ToArray();
        var renewedItems = await RenewAsync(connection, "outbox", items, cancellationToken).ConfigureAwait(false);
        foreach (var item in items.Where(c => !renewedItems.Contains(c.Key)))
        {
            itemClaims.TryRemove(item);
        }
        return new LeaseRenewal(renewed.Count, lost);
    }

    /// <summary>Renews the claims still ours under the fence we hold (an expired one nobody took is ours again).</summary>
    private async Task<HashSet<long>> RenewAsync(DbConnection connection, string table, KeyValuePair<long, long>[] claims,
        CancellationToken cancellationToken)
    {
        var renewed = new HashSet<long>();
        if (claims.Length == 0)
        {
            return renewed;
        }
        await using var command = Command(connection, null, $"""
            UPDATE {table} t SET lease_until = now() + make_interval(secs => @lease)
            FROM unnest(@ids, @fences) AS held(id, fence)
            WHERE t.id = held.id AND t.fence = held.fence AND t.claimed_by = @agent
            RETURNING t.id
            """, ("ids", claims.Select(c => c.Key).ToArray()), ("fences", claims.Select(c => c.Value).ToArray()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            renewed.Add(reader.GetInt64(0));
        }
        return renewed;
    }

    public async Task ReleaseAllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, $"UPDATE jobs SET {Released} WHERE claimed_by = @agent", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, $"UPDATE outbox SET {Released} WHERE claimed_by = @agent", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "DELETE FROM agents WHERE agent_id = @agent", cancellationToken).ConfigureAwait(false);
        jobClaims.Clear();
        itemClaims.Clear();
    }

    public async Task<IReadOnlyList<AgentPresence>> AgentsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"""
            SELECT a.agent_id, a.started_at, a.heartbeat_at, a.model,
                (SELECT COUNT(*) FROM jobs j WHERE j.claimed_by = a.agent_id AND j.state < {(int)JobState.Reported}),
                (SELECT COUNT(*) FROM outbox o WHERE o.claimed_by = a.agent_id AND o.state = {Pending})
            FROM agents a WHERE a.heartbeat_at > now() - make_interval(secs => @window)
            ORDER BY a.agent_id
            """, ("window", PresenceWindow.TotalSeconds));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var agents = new List<AgentPresence>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            agents.Add(new AgentPresence(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt64(4), reader.GetInt64(5))
            {
                Model = reader.IsDBNull(3) ? null : reader.GetString(3),
            });
        }
        return agents;
    }

    /// <summary>The parameters of a fenced job record: the job, and the fence of our claim on it (-1: we hold none).</summary>
    private (string, object?)[] Fenced(JobRef job) =>
        [("id", job.Id), ("version", job.Version), ("fence", jobClaims.TryGetValue(job.Id, out var fence) ? fence : -1L)];

    /// <summary>After a record that keeps the claim: when it was refused, finds out whether the fence refused it.</summary>
    private async Task<bool> CheckedAsync(DbConnection connection, JobRef job, bool done, JobState recording,
        CancellationToken cancellationToken)
    {
        if (!done)
        {
            await CheckFenceAsync(connection, job, recording, cancellationToken).ConfigureAwait(false);
        }
        return done;
    }

    /// <summary>After a record that ends the claim (the job leaves the pipeline): forgets the claim once made.</summary>
    private async Task<bool> SettledAsync(DbConnection connection, JobRef job, bool done, JobState recording,
        CancellationToken cancellationToken)
    {
        if (done)
        {
            jobClaims.TryRemove(job.Id, out _);
        }
        return await CheckedAsync(connection, job, done, recording, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the fence refused a record of the current version: we held a claim on the job (or lost one at a
    /// heartbeat) that is no longer the current one, or we record in a state that allowed it without holding the
    /// claim. Counted and logged; the caller drops the work. (A refusal by version or state alone is not the fence's.)
    /// </summary>
    private async Task CheckFenceAsync(DbConnection connection, JobRef job, JobState recording, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null,
            "SELECT version, state, claimed_by, fence, claimed_by = @agent AND lease_until > now() FROM jobs WHERE id = @id", ("id", job.Id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || reader.GetInt32(0) != job.Version)
        {
            return;
        }
        var ours = jobClaims.TryGetValue(job.Id, out var held) ? held : lostClaims.TryRemove(job.Id, out var lost) ? lost : -1L;
        var current = reader.GetInt64(3);
        var stillOurs = ours == current && !reader.IsDBNull(4) && reader.GetBoolean(4);
        var state = (JobState)reader.GetInt32(1);
        var allowed = recording == JobState.Indexed ? state == JobState.Scored : state < recording;
        if (!stillOurs && (allowed || ours != -1))
        {
            Fenced(new FencedWrite("job", job.Id, ours, current, reader.IsDBNull(2) ? null : reader.GetString(2)));
            jobClaims.TryRemove(job.Id, out _);
        }
    }

    private void Fenced(FencedWrite refused)
    {
        LogFenced(refused.Kind, refused.Id, refused.OurFence, refused.CurrentFence, refused.Holder ?? "nobody");
        onFenced?.Invoke(refused);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused a late record for {Kind} {Id}: our claim (fence {OurFence}) is no longer current (fence {CurrentFence}, held by {Holder})")]
    private partial void LogFenced(string kind, long id, long ourFence, long currentFence, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease on job {JobId}: another agent claimed it")]
    private partial void LogLeaseLost(long jobId);
}
