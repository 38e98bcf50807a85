using System.Globalization;
using System.Text;
using Npgsql;

namespace CxrPacsAgent.Retrieval.Storage.Postgres;

/// <summary>
/// k-NN search inside PostgreSQL with the pgvector extension, where the server has it: an alternative to each agent's
/// in-memory index over the same shared library. The library's rows stay the truth (<see cref="PostgresEmbeddingStore"/>);
/// this keeps a copy of each entry's embedding as a <c>vector</c> in <c>retrieval_vectors</c> (removed with its entry),
/// with one HNSW index (cosine distance) per model, and answers a query with one SQL statement. Debian 12 does not
/// package the extension (the PGDG repository's <c>postgresql-15-pgvector</c> does); <see cref="ProbeAsync"/> says
/// whether a server has it. Vectors travel as pgvector's text form, so no client type mapping is needed.
/// </summary>
public sealed class PgvectorSearch : IDisposable
{
    /// <summary>Candidates HNSW looks at per query; the filters (own study, patient) are applied to them.</summary>
    private const int EfSearch = 100;

    /// <summary>Transaction advisory lock ("cxrpgvc") around the DDL, so agents opening at once do not race to create the same objects.</summary>
    private const long DdlLock = 0x0063_7872_7067_7663;

    private readonly NpgsqlDataSource dataSource;

    // Models whose HNSW index this process has made or found: the DDL (which locks the table) runs once per model.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, bool> indexedModels = new();

    private PgvectorSearch(NpgsqlDataSource dataSource) => this.dataSource = dataSource;

    /// <summary>Whether the server can give this database the extension: installed in it already, or available to install.</summary>
    public static async Task<bool> ProbeAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')");
        try
        {
            return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (NpgsqlException e)
        {
            throw new RetrievalException(RetrievalError.StoreFailure, $"the shared library database failed: {e.Message}", e);
        }
    }

    /// <summary>Creates the extension (when missing; needs the right to) and the vectors table over the library's tables.</summary>
    /// <exception cref="RetrievalException">The server has no pgvector, the extension may not be created by this user
    /// (<see cref="RetrievalError.SearchUnavailable"/>), or the database failed.</exception>
    public static async Task<PgvectorSearch> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (!await ProbeAsync(connectionString, cancellationToken).ConfigureAwait(false))
        {
            throw new RetrievalException(RetrievalError.SearchUnavailable,
                "the PostgreSQL server has no pgvector extension (pg_available_extensions lists no 'vector'): install it on the server (the PGDG repository's postgresql-15-pgvector), or search with each agent's own index");
        }
        var search = new PgvectorSearch(NpgsqlDataSource.Create(connectionString));
        try
        {
            await search.RunAsync(async connection =>
            {
                await using var command = new NpgsqlCommand($"""
                    SELECT pg_advisory_xact_lock({DdlLock});
                    CREATE EXTENSION IF NOT EXISTS vector;
                    CREATE TABLE IF NOT EXISTS retrieval_vectors (
                        entry_id bigint PRIMARY KEY REFERENCES retrieval_entries (id) ON DELETE CASCADE,
                        model_id bigint NOT NULL,
                        embedding vector NOT NULL);
                    """, connection);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }).ConfigureAwait(false);
            return search;
        }
        catch (RetrievalException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege })
        {
            search.Dispose();
            throw new RetrievalException(RetrievalError.SearchUnavailable,
                $"this user may not create the pgvector extension ({e.InnerException.Message}): a superuser or the database owner runs CREATE EXTENSION vector once", e);
        }
        catch
        {
            search.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes the model's HNSW index (cosine) when missing, then copies the embeddings of the model's entries that have no
    /// vector yet (all of them the first time; later, entries the <c>index</c> verbs or another engine stored); returns
    /// how many were copied. Several agents may run it at once.
    /// </summary>
    public Task<int> CatchUpAsync(StoredModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return RunAsync(async connection =>
        {
            if (!indexedModels.ContainsKey(model.Id))
            {
                // Before any insert and in its own transaction: CREATE INDEX locks the table against the inserts of other agents.
                await using var index = new NpgsqlCommand($"""
                    SELECT pg_advisory_xact_lock({DdlLock});
                    CREATE INDEX IF NOT EXISTS retrieval_vectors_hnsw_{model.Id} ON retrieval_vectors
                        USING hnsw ((embedding::vector({model.Dimensions})) vector_cosine_ops) WHERE model_id = {model.Id};
                    """, connection);
                await index.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                indexedModels[model.Id] = true;
            }
            var missing = new List<(long, float[])>();
            await using (var select = new NpgsqlCommand("""
                SELECT e.id, e.embedding FROM retrieval_entries e
                WHERE e.model_id = @model AND NOT EXISTS (SELECT 1 FROM retrieval_vectors v WHERE v.entry_id = e.id)
                """, connection))
            {
                select.Parameters.AddWithValue("model", model.Id);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    missing.Add((reader.GetInt64(0), EmbeddingCodec.Decode(reader.GetFieldValue<byte[]>(1))));
                }
            }
            await InsertAsync(connection, model, missing, cancellationToken).ConfigureAwait(false);
            return missing.Count;
        });
    }

    /// <summary>
    /// Makes stored entries searchable here: their embeddings as vectors (an entry removed meanwhile is left out). The
    /// model's index must exist: <see cref="CatchUpAsync"/> once first.
    /// </summary>
    public Task AddAsync(StoredModel model, IReadOnlyList<(long EntryId, float[] Embedding)> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(entries);
        return RunAsync(async connection =>
        {
            await InsertAsync(connection, model, entries, cancellationToken).ConfigureAwait(false);
            return entries.Count;
        });
    }

    /// <summary>
    /// The <paramref name="k"/> entries of the model nearest to <paramref name="query"/> by cosine similarity, nearest
    /// first, leaving out a study and (when given) a patient's entries. Approximate (HNSW), as the in-memory index is.
    /// </summary>
    public Task<IReadOnlyList<(long EntryId, float Similarity)>> SearchAsync(StoredModel model, ReadOnlyMemory<float> query, int k,
        string? excludeStudyInstanceUid = null, string? excludePatientKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (query.Length != model.Dimensions)
        {
            throw new RetrievalException(RetrievalError.DimensionMismatch, $"a {query.Length}-dimensional query for {model.Dimensions}-dimensional {model.Identity}");
        }
        return RunAsync<IReadOnlyList<(long, float)>>(async connection =>
        {
            var d = model.Dimensions;
            // The expression and the model condition match the partial index's, so the planner uses it.
            await using var command = new NpgsqlCommand($"""
                SET LOCAL hnsw.ef_search = {EfSearch};
                SELECT v.entry_id, 1 - (v.embedding::vector({d}) <=> @query::vector({d})) FROM retrieval_vectors v
                JOIN retrieval_entries e ON e.id = v.entry_id
                WHERE v.model_id = {model.Id} AND e.study_instance_uid IS DISTINCT FROM @study
                    AND (@patient::text IS NULL OR e.patient_key IS DISTINCT FROM @patient)
                ORDER BY v.embedding::vector({d}) <=> @query::vector({d}) LIMIT @k
                """, connection);
            command.Parameters.AddWithValue("query", Text(query.Span));
            command.Parameters.AddWithValue("study", (object?)excludeStudyInstanceUid ?? DBNull.Value);
            command.Parameters.AddWithValue("patient", NpgsqlTypes.NpgsqlDbType.Text, (object?)excludePatientKey ?? DBNull.Value);
            command.Parameters.AddWithValue("k", k);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            command.Transaction = transaction;
            var found = new List<(long, float)>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                do
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        found.Add((reader.GetInt64(0), (float)reader.GetDouble(1)));
                    }
                }
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return found;
        });
    }

    /// <summary>Inserts the vectors of stored entries; one already there, or whose entry is gone, is left as it is.</summary>
    private static async Task InsertAsync(NpgsqlConnection connection, StoredModel model, IReadOnlyList<(long EntryId, float[] Embedding)> entries,
        CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO retrieval_vectors (entry_id, model_id, embedding)
            SELECT t.id, @model, t.v::vector FROM unnest(@ids, @vectors) AS t(id, v)
            WHERE EXISTS (SELECT 1 FROM retrieval_entries e WHERE e.id = t.id)
            ON CONFLICT (entry_id) DO NOTHING
            """, connection);
        insert.Parameters.AddWithValue("model", model.Id);
        insert.Parameters.AddWithValue("ids", entries.Select(e => e.EntryId).ToArray());
        insert.Parameters.AddWithValue("vectors", entries.Select(e => Text(e.Embedding)).ToArray());
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => dataSource.Dispose();

    /// <summary>pgvector's text form: <c>[x1,x2,…]</c>, each value round-trippable.</summary>
    private static string Text(ReadOnlySpan<float> vector)
    {
        var text = new StringBuilder("[", vector.Length * 12);
        for (var i = 0; i < vector.Length; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(vector[i].ToString("R", CultureInfo.InvariantCulture));
        }
        return text.Append(']').ToString();
    }

    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new RetrievalException(RetrievalError.StoreFailure, $"the shared library database (pgvector) failed: {e.Message}", e);
        }
    }
}
