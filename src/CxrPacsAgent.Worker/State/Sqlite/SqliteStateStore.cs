using System.Data.Common;
using CxrPacsAgent.Worker.State.Sql;
using Microsoft.Data.Sqlite;

namespace CxrPacsAgent.Worker.State.Sqlite;

/// <summary>
/// The embedded state store: one SQLite file in WAL mode with synchronous=FULL, so a transaction is on disk when its
/// call returns (what lets intake answer success). Writers take the database lock up front (BEGIN IMMEDIATE) and wait
/// up to 30 s for one another. Thread-safe; each call uses its own pooled connection.
/// </summary>
public sealed partial class SqliteStateStore : SqlStateStore, IStateStore
{
    private readonly string connectionString;

    public SqliteStateStore(string databasePath, TimeProvider? time = null)
        : base(time)
    {
        ArgumentNullException.ThrowIfNull(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string DatabasePath { get; }

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        await using var connection = (SqliteConnection)await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var wal = connection.CreateCommand())
        {
            // Persistent: set once, the file stays in WAL mode.
            wal.CommandText = "PRAGMA journal_mode=WAL";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        SqliteSchema.Upgrade(connection);
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM agent_schema";
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragmas = connection.CreateCommand();
            // synchronous and busy_timeout belong to the connection, not the file.
            pragmas.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Rows are never claimed here: one agent owns the file.
    private protected override string ReleaseClaim => "";

    // One writer at a time: nothing to skip.
    private protected override string SkipLocked => "";
}
