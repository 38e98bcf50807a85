using System.Collections.Concurrent;
using System.Data.Common;
using CxrPacsAgent.Worker.State.Sql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CxrPacsAgent.Worker.State.Postgres;

/// <summary>
/// The shared state store for several identical agents: one PostgreSQL database. Same contract as the SQLite store
/// (each call one transaction, committed when it returns), plus claims (<see cref="IJobLeases"/>): a job received or
/// claimed by this agent is leased to it on the database's clock, and every record the pipeline makes for it must
/// carry the claim's fence; a record under a claim that was taken over or ran out is refused, counted and logged.
/// Record times come from <see cref="TimeProvider"/> like SQLite's; only leases use the database's clock, so agents
/// whose clocks disagree still agree on who holds what. Thread-safe.
/// </summary>
public sealed partial class PostgresStateStore : SqlStateStore, IStateStore, IJobLeases, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly double leaseSeconds;
    private readonly ILogger logger;
    private readonly Action<FencedWrite>? onFenced;

    // The claims this agent holds, with the fence each was made under: what its records must carry.
    private readonly ConcurrentDictionary<long, long> jobClaims = new();
    private readonly ConcurrentDictionary<long, long> itemClaims = new();

    // Claims a heartbeat found taken over, kept so that the late record that follows is known as the fence's refusal.
    private readonly ConcurrentDictionary<long, long> lostClaims = new();
    private const int MaxLostClaims = 10_000;

    /// <param name="lease">How long a claim holds without a heartbeat.</param>
    /// <param name="onFenced">Told of every record refused by the fence (the service counts them in a metric).</param>
    public PostgresStateStore(string connectionString, TimeSpan lease, TimeProvider? time = null, ILogger? logger = null,
        Action<FencedWrite>? onFenced = null)
        : base(time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        dataSource = NpgsqlDataSource.Create(connectionString);
        leaseSeconds = lease.TotalSeconds;
        this.logger = logger ?? NullLogger.Instance;
        this.onFenced = onFenced;
        AgentId = FormattableString.Invariant($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}");
    }

    public string AgentId { get; }

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await PostgresSchema.UpgradeAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "INSERT INTO agents (agent_id, started_at, heartbeat_at) VALUES (@agent, now(), now()) ON CONFLICT (agent_id) DO NOTHING");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM agent_schema", connection);
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public void Dispose() => dataSource.Dispose();

    private protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    private protected override string ReleaseClaim => ", " + Released;

    // Forgetting passes over rows a sign-in is counting on rather than wait for it.
    private protected override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    /// <summary>A command with this agent's id (<c>@agent</c>) and lease (<c>@lease</c>, seconds) bound besides the given parameters.</summary>
    private protected override DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        var command = base.Command(connection, transaction, sql, parameters);
        Bind(command, "agent", AgentId);
        Bind(command, "lease", leaseSeconds);
        return command;
    }

    /// <summary>The lease condition every fenced record carries: ours, under the fence we claimed with, not run out.</summary>
    private const string Held = "claimed_by = @agent AND fence = @fence AND lease_until > now()";

    private const string NewLease = "claimed_by = @agent, lease_until = now() + make_interval(secs => @lease)";

    private const string Released = "claimed_by = NULL, lease_until = NULL";
}
