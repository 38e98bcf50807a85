using System.Diagnostics;
using CxrPacsAgent.Retrieval.Storage;
using CxrPacsAgent.Retrieval.Vectors;

namespace CxrPacsAgent.Retrieval.Index;

/// <summary>
/// One model's similar-study index over a store's rows: exact search up to <see cref="EmbeddingIndexOptions.ExactSearchLimit"/>
/// entries, HNSW beyond — new entries searched exactly in a fresh segment until a background thread has linked them into
/// the graph (<see cref="BufferedHnswIndex"/>). The rows are the truth; the in-memory index is derived from them — restored from a snapshot
/// and brought up to date from the rows written since (after a crash too), or rebuilt from all of them. Thread-safe:
/// searches run alongside adds; writes (adds, removals, catch-up, snapshots) take turns.
/// </summary>
public sealed partial class EmbeddingIndex : ILibrarySearch, IDisposable
{
    private const int CatchUpPage = 4096;
    private readonly IEmbeddingStore store;
    private readonly StoredModel model;
    private readonly EmbeddingIndexOptions options;
    private readonly string? snapshotFolder;
    private readonly SemaphoreSlim writeGate = new(1, 1);
    // Slots and vectors are swapped together (start, rebuild, the move to HNSW): a search reads both from one state.
    private volatile IndexState state;
    private Watermark watermark;
    private long changesSinceSnapshot;
    private long lastCatchUp;
    private IndexOrigin origin = IndexOrigin.Rows;
    private string? snapshotProblem;
    private string? lastSnapshotError;
    private Task? backgroundSnapshot;
    private bool disposed;

    private EmbeddingIndex(IEmbeddingStore store, StoredModel model, EmbeddingIndexOptions options)
    {
        this.store = store;
        this.model = model;
        this.options = options;
        snapshotFolder = options.UseSnapshots ? store.SnapshotFolder : null;
        state = new IndexState(new SlotTable(), new ExactVectorIndex(model.Dimensions));
    }

    public ModelIdentity Model => model.Identity;

    public int Dimensions => model.Dimensions;

    /// <summary>Entries searchable now.</summary>
    public long Count => vectors.Count;

    /// <summary>
    /// Opens <paramref name="model"/>'s index over <paramref name="store"/> (registering the model on first use): from its
    /// snapshot when one is usable, then the rows written since; else from all rows.
    /// </summary>
    /// <exception cref="RetrievalException">The model is registered with other dimensions, or the store failed.</exception>
    public static async Task<EmbeddingIndex> OpenAsync(IEmbeddingStore store, ModelIdentity model, int dimensions,
        EmbeddingIndexOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(model);
        var stored = await store.RegisterModelAsync(model, dimensions, cancellationToken).ConfigureAwait(false);
        var index = new EmbeddingIndex(store, stored, options ?? new EmbeddingIndexOptions());
        try
        {
            await index.StartAsync(cancellationToken).ConfigureAwait(false);
            return index;
        }
        catch
        {
            await index.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public IndexStatistics Statistics() => new()
    {
        Model = Model,
        Dimensions = Dimensions,
        Count = vectors.Count,
        Mode = vectors is BufferedHnswIndex ? IndexMode.Hnsw : IndexMode.Exact,
        Pending = (vectors as BufferedHnswIndex)?.Pending ?? 0,
        LastMergeError = (vectors as BufferedHnswIndex)?.LastMoveError,
        Origin = origin,
        SnapshotProblem = snapshotProblem,
        Watermark = watermark,
        MemoryBytes = vectors.MemoryBytes,
        SnapshotPath = snapshotFolder is null ? null : IndexSnapshot.StatePath(snapshotFolder, Model),
        LastSnapshotError = lastSnapshotError,
    };

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        if (snapshotFolder is not null)
        {
            var loaded = IndexSnapshot.TryRead(snapshotFolder, model, options.Hnsw, out snapshotProblem);
            if (loaded is not null)
            {
                (state, watermark, origin) = (new IndexState(loaded.Slots, new BufferedHnswIndex(loaded.Graph)), loaded.Watermark, IndexOrigin.Snapshot);
            }
        }
        await CatchUpCoreAsync(cancellationToken).ConfigureAwait(false);
        if (origin == IndexOrigin.Snapshot && !await AgreesWithRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            snapshotProblem = $"the snapshot disagreed with the rows ({slots.Live} entries indexed, {await store.CountAsync(model, cancellationToken).ConfigureAwait(false)} rows): rebuilt from the rows";
            vectors.Dispose();
            (state, watermark, origin) = (new IndexState(new SlotTable(), new ExactVectorIndex(Dimensions)), Watermark.Start, IndexOrigin.Rows);
            await CatchUpCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        ScheduleSnapshotIfDue();
    }

    /// <summary>Entry counts of memory and rows match (a second look first, in case another process was writing).</summary>
    private async Task<bool> AgreesWithRowsAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (await store.CountAsync(model, cancellationToken).ConfigureAwait(false) == slots.Live)
            {
                return true;
            }
            await CatchUpCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        return await store.CountAsync(model, cancellationToken).ConfigureAwait(false) == slots.Live;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Saves a snapshot when the index changed enough to be worth it (or was rebuilt from rows), then frees the index.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        if (backgroundSnapshot is { } pending)
        {
            await pending.ConfigureAwait(false);
        }
        await writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            var worth = (changesSinceSnapshot >= options.SnapshotEvery || (origin == IndexOrigin.Rows && changesSinceSnapshot > 0)) && FewPending();
            if (worth)
            {
                SaveSnapshotLocked();
            }
            vectors.Dispose();
        }
        finally
        {
            writeGate.Release();
        }
        writeGate.Dispose();
    }

    private SlotTable slots => state.Slots;

    private IVectorIndex vectors => state.Vectors;

    private static long Now() => Stopwatch.GetTimestamp();

    /// <summary>The slot table and the vector index keyed by its slots.</summary>
    private sealed record IndexState(SlotTable Slots, IVectorIndex Vectors);
}
