using System.Diagnostics;
using CxrPacsAgent.Retrieval.Index;

namespace CxrPacsAgent.Retrieval.Storage.Postgres;

/// <summary>
/// One model's shared library searched inside PostgreSQL by pgvector (<see cref="PgvectorSearch"/>) instead of an
/// in-memory index per agent: nothing to load at start, no memory per agent, every agent's additions searchable as soon as
/// they commit. Entries are stored as rows first (the truth), then copied as vectors; an entry stored by other means
/// (the <c>index</c> verbs, a crash between the two writes) gets its vector at the next catch-up — at open and at most
/// <see cref="CatchUpEvery"/> later.
/// </summary>
public sealed class PgvectorLibrary : ILibrarySearch
{
    /// <summary>How often a search first copies the vectors of entries stored without one.</summary>
    public static readonly TimeSpan CatchUpEvery = TimeSpan.FromMinutes(1);

    private readonly IEmbeddingStore store;
    private readonly StoredModel model;
    private readonly PgvectorSearch search;
    private readonly SemaphoreSlim catchUpGate = new(1, 1);
    private long lastCatchUp;

    private PgvectorLibrary(IEmbeddingStore store, StoredModel model, PgvectorSearch search)
    {
        this.store = store;
        this.model = model;
        this.search = search;
        lastCatchUp = Stopwatch.GetTimestamp();
    }

    public ModelIdentity Model => model.Identity;

    /// <summary>Entries copied as vectors by the catch-up at open (those stored without one).</summary>
    public int CaughtUpAtOpen { get; private init; }

    /// <summary>
    /// Opens the model's library in <paramref name="store"/> (the rows, registering the model on first use) with its
    /// search in the same database (<paramref name="connectionString"/>), and copies the vectors that are missing.
    /// </summary>
    /// <exception cref="RetrievalException">No pgvector on the server (<see cref="RetrievalError.SearchUnavailable"/>),
    /// the model registered with other dimensions, or the database failed.</exception>
    public static async Task<PgvectorLibrary> OpenAsync(IEmbeddingStore store, string connectionString, ModelIdentity model, int dimensions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(model);
        var stored = await store.RegisterModelAsync(model, dimensions, cancellationToken).ConfigureAwait(false);
        var search = await PgvectorSearch.OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
        try
        {
            var copied = await search.CatchUpAsync(stored, cancellationToken).ConfigureAwait(false);
            return new PgvectorLibrary(store, stored, search) { CaughtUpAtOpen = copied };
        }
        catch
        {
            search.Dispose();
            throw;
        }
    }

    /// <summary>Entries the model has in the library now.</summary>
    public Task<long> CountAsync(CancellationToken cancellationToken = default) => store.CountAsync(model, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SimilarStudy>> SearchAsync(SimilarityQuery query, CancellationToken cancellationToken = default)
    {
        Neighbours.Check(query, model.Identity, model.Dimensions);
        await CatchUpIfDueAsync(cancellationToken).ConfigureAwait(false);
        var hits = await search.SearchAsync(model, query.Embedding, query.K, query.ExcludeStudyInstanceUid, query.ExcludePatientKey,
            cancellationToken).ConfigureAwait(false);
        return await Neighbours.ResolveAsync(store, query, hits, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task StoreAsync(LibraryEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var stored = await store.UpsertAsync(model, [entry], cancellationToken).ConfigureAwait(false);
        await search.AddAsync(model, [(stored[0].EntryId, entry.Embedding)], cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        search.Dispose();
        catchUpGate.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task CatchUpIfDueAsync(CancellationToken cancellationToken)
    {
        if (Stopwatch.GetElapsedTime(Interlocked.Read(ref lastCatchUp)) < CatchUpEvery || !await catchUpGate.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return; // not due, or another search is catching up: search what is there
        }
        try
        {
            await search.CatchUpAsync(model, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref lastCatchUp, Stopwatch.GetTimestamp());
        }
        finally
        {
            catchUpGate.Release();
        }
    }
}
