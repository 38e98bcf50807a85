namespace CxrPacsAgent.Worker.State;

/// <summary>
/// The agent's durable state: jobs, scores, the outbox, statistics and the audit log. SQLite (<see cref="Sqlite.SqliteStateStore"/>)
/// is the embedded default; a shared PostgreSQL store implements the same interface and passes the same test suite.
/// </summary>
public interface IStateStore : IJobStore, IOutboxStore, IStateQueries, IAdminStore
{
    /// <summary>Creates or upgrades the schema; called once before anything else.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>True when the store answers (for the readiness check).</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken = default);
}
