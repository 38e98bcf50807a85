namespace CxrPacsAgent.Retrieval.Storage.Sqlite;

/// <summary>How the SQLite store uses the state database.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>How long a write waits for another writer (the service, a CLI run) before failing. Default 10 s.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where indexes keep their snapshots. Default: the folder <c>index</c> beside the database file.</summary>
    public string? SnapshotFolder { get; init; }
}
