using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CxrPacsAgent.Retrieval.Storage.Sqlite;

/// <summary>
/// The library's rows in a SQLite database file that the agent's service also keeps its own tables in: WAL mode (readers
/// never block the writer), a busy timeout for the moments another process writes, full sync on commit, and only
/// tables of its own (<see cref="SqliteSchema"/>). One pooled connection per operation, so it is thread-safe.
/// </summary>
public sealed partial class SqliteEmbeddingStore : IEmbeddingStore
{
    private readonly string connectionString;
    private readonly int busyMilliseconds;

    private SqliteEmbeddingStore(string databasePath, SqliteStoreOptions options)
    {
        DatabasePath = databasePath;
        busyMilliseconds = (int)options.BusyTimeout.TotalMilliseconds;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();
        SnapshotFolder = options.SnapshotFolder ?? Path.Combine(Path.GetDirectoryName(databasePath)!, "index");
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    public string? SnapshotFolder { get; }

    /// <summary>
    /// Opens (creating the file and its folder when needed) the database at <paramref name="databasePath"/>, switches it
    /// to WAL and creates the retrieval tables if they are missing. Other tables in the file are left alone.
    /// </summary>
    public static SqliteEmbeddingStore Open(string databasePath, SqliteStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        var path = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var store = new SqliteEmbeddingStore(path, options ?? new SqliteStoreOptions());
        store.Run(connection =>
        {
            using (var wal = connection.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode = WAL";
                var mode = wal.ExecuteScalar() as string;
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new RetrievalException(RetrievalError.StoreFailure, $"{path} cannot be switched to WAL mode (it reports '{mode}')");
                }
            }
            SqliteSchema.Ensure(connection);
            return 0;
        });
        return store;
    }

    public Task<StoredModel> RegisterModelAsync(ModelIdentity model, int dimensions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Run(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var find = Command(connection, "SELECT id, dimensions FROM retrieval_models WHERE name = $name AND version = $version",
                ("$name", model.Name), ("$version", model.Version));
            using (var reader = find.ExecuteReader())
            {
                if (reader.Read())
                {
                    var stored = new StoredModel(reader.GetInt64(0), model, reader.GetInt32(1));
                    if (stored.Dimensions != dimensions)
                    {
                        throw new RetrievalException(RetrievalError.DimensionMismatch,
                            $"{model} is registered with {stored.Dimensions}-dimensional embeddings, not {dimensions}");
                    }
                    return stored;
                }
            }
            using var insert = Command(connection,
                "INSERT INTO retrieval_models (name, version, dimensions, registered_at) VALUES ($name, $version, $dimensions, $at) RETURNING id",
                ("$name", model.Name), ("$version", model.Version), ("$dimensions", dimensions), ("$at", Now()));
            var id = (long)insert.ExecuteScalar()!;
            transaction.Commit();
            return new StoredModel(id, model, dimensions);
        }));
    }

    public Task<IReadOnlyList<ModelSummary>> SummarizeAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<ModelSummary>>(Run(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            using var command = Command(connection, LibrarySql.Summaries);
            using var reader = command.ExecuteReader();
            var result = new List<ModelSummary>();
            while (reader.Read())
            {
                var model = new StoredModel(reader.GetInt64(0), new ModelIdentity(reader.GetString(1), reader.GetString(2)), reader.GetInt32(3));
                result.Add(new ModelSummary(model, reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7)));
            }
            return result;
        }));
    }

    public Task<long> CountAsync(StoredModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Run(connection =>
        {
            using var command = Command(connection, "SELECT count(*) FROM retrieval_entries WHERE model_id = $model", ("$model", model.Id));
            return (long)command.ExecuteScalar()!;
        }));
    }

    /// <summary>Nothing to release: connections are pooled per operation.</summary>
    public void Dispose()
    {
    }

    /// <summary>Opens a pooled connection with this store's settings, runs <paramref name="work"/>, maps SQLite failures.</summary>
    private T Run<T>(Func<SqliteConnection, T> work)
    {
        try
        {
            using var connection = OpenConnection();
            return work(connection);
        }
        catch (SqliteException e)
        {
            throw Failure(e);
        }
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            // Per connection: wait for another writer instead of failing at once, and make each commit durable.
            pragmas.CommandText = $"PRAGMA busy_timeout = {busyMilliseconds}; PRAGMA synchronous = FULL;";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private RetrievalException Failure(SqliteException e) =>
        new(RetrievalError.StoreFailure, $"the state database {DatabasePath} failed: {e.Message} (SQLite error {e.SqliteErrorCode})", e);

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
}
