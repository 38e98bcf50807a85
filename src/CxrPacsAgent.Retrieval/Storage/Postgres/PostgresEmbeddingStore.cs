using Npgsql;

namespace CxrPacsAgent.Retrieval.Storage.Postgres;

/// <summary>
/// The library's rows in the PostgreSQL database several agents share: the truth every agent's in-memory index is
/// derived from. Each agent's index catches up from the rows others commit (<see cref="PostgresChangeListener"/> tells
/// it when), reading them in commit order (<see cref="PostgresSchema"/>), so a row committed late is never skipped.
/// Pooled connections, one per operation; thread-safe.
/// </summary>
public sealed partial class PostgresEmbeddingStore : IEmbeddingStore
{
    private readonly NpgsqlDataSource dataSource;

    private PostgresEmbeddingStore(NpgsqlDataSource dataSource, string? snapshotFolder)
    {
        this.dataSource = dataSource;
        SnapshotFolder = snapshotFolder;
    }

    /// <summary>A local folder for this agent's index snapshots (each agent keeps its own); null: none, start from the rows.</summary>
    public string? SnapshotFolder { get; }

    /// <summary>Connects and creates the retrieval tables if they are missing (one agent at a time).</summary>
    /// <exception cref="RetrievalException">The database cannot be reached, or its retrieval schema is newer than this code.</exception>
    public static async Task<PostgresEmbeddingStore> OpenAsync(string connectionString, string? snapshotFolder = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var store = new PostgresEmbeddingStore(NpgsqlDataSource.Create(connectionString), snapshotFolder);
        try
        {
            await store.RunAsync(async connection =>
            {
                await PostgresSchema.EnsureAsync(connection, cancellationToken).ConfigureAwait(false);
                return 0;
            }).ConfigureAwait(false);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public Task<StoredModel> RegisterModelAsync(ModelIdentity model, int dimensions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        return RunAsync(async connection =>
        {
            // Two agents registering at once: the second's insert does nothing and it reads the first's row.
            await using (var insert = Command(connection, """
                INSERT INTO retrieval_models (name, version, dimensions) VALUES (@name, @version, @dimensions)
                ON CONFLICT (name, version) DO NOTHING
                """, ("name", model.Name), ("version", model.Version), ("dimensions", dimensions)))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using var find = Command(connection, "SELECT id, dimensions FROM retrieval_models WHERE name = @name AND version = @version",
                ("name", model.Name), ("version", model.Version));
            await using var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var stored = new StoredModel(reader.GetInt64(0), model, reader.GetInt32(1));
            return stored.Dimensions == dimensions ? stored : throw new RetrievalException(RetrievalError.DimensionMismatch,
                $"{model} is registered with {stored.Dimensions}-dimensional embeddings, not {dimensions}");
        });
    }

    public Task<IReadOnlyList<ModelSummary>> SummarizeAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<ModelSummary>>(async connection =>
        {
            await using var command = Command(connection, LibrarySql.Summaries);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var result = new List<ModelSummary>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var model = new StoredModel(reader.GetInt64(0), new ModelIdentity(reader.GetString(1), reader.GetString(2)), reader.GetInt32(3));
                result.Add(new ModelSummary(model, reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7)));
            }
            return result;
        });

    public Task<long> CountAsync(StoredModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return RunAsync(async connection =>
        {
            await using var command = Command(connection, "SELECT count(*) FROM retrieval_entries WHERE model_id = @model", ("model", model.Id));
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        });
    }

    public void Dispose() => dataSource.Dispose();

    /// <summary>Opens a pooled connection, runs <paramref name="work"/>, maps database failures to <see cref="RetrievalError.StoreFailure"/>.</summary>
    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new RetrievalException(RetrievalError.StoreFailure, $"the shared library database failed: {e.Message}", e);
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }
}
