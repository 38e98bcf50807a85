using System.Collections.Concurrent;

namespace CxrPacsAgent.Retrieval.Vectors;

/// <summary>
/// An HNSW graph fronted by a small exact-searched buffer (the "fresh segment"): an add lands in the buffer, searchable
/// at once, and a background thread moves it into the graph. Linking a vector into a graph of a million costs about
/// half a millisecond of one core, and USearch's graph cannot take adds from several threads safely (docs/retrieval.md),
/// so an add that waited for the graph could never pass ~2,000 a second; with the buffer an add costs a copy, and
/// searches stay exact over the part not yet linked. A vector moves by entering the graph before it leaves the buffer,
/// and a search reads the buffer before the graph, so it always meets a moving vector at least once.
/// </summary>
public sealed class BufferedHnswIndex : IVectorIndex
{
    /// <summary>Vectors moved per turn: a removal waits at most one turn; searches interleave between single adds.</summary>
    private const int MoveChunk = 64;
    private readonly HnswVectorIndex graph;
    private readonly ExactVectorIndex fresh;
    // Keys in the buffer, oldest first (removed ones are skipped when their turn comes). Adds enqueue without a lock: a
    // mover descheduled mid-chunk on a busy machine must not hold up the adds. Moves and removals take turns on moveGate.
    private readonly ConcurrentQueue<ulong> waiting = new();
    private readonly Lock moveGate = new();
    private readonly SemaphoreSlim wake = new(0);
    private readonly Thread mover;
    private volatile bool stopping;
    private volatile string? lastMoveError;
    private long count;
    private bool disposed;

    /// <summary>Takes ownership of <paramref name="graph"/> and of <paramref name="buffer"/>, whose vectors are moved into the graph.</summary>
    public BufferedHnswIndex(HnswVectorIndex graph, ExactVectorIndex? buffer = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        this.graph = graph;
        fresh = buffer ?? new ExactVectorIndex(graph.Dimensions);
        if (fresh.Dimensions != graph.Dimensions)
        {
            throw new RetrievalException(RetrievalError.DimensionMismatch, $"a {fresh.Dimensions}-dimensional buffer cannot front a {graph.Dimensions}-dimensional graph");
        }
        foreach (var key in fresh.Keys())
        {
            waiting.Enqueue(key);
        }
        count = graph.Count + fresh.Count;
        mover = new Thread(MoveLoop) { IsBackground = true, Name = "hnsw-merge" };
        mover.Start();
        if (!waiting.IsEmpty)
        {
            wake.Release();
        }
    }

    public int Dimensions => graph.Dimensions;

    public long Count => Interlocked.Read(ref count);

    /// <summary>Vectors in the buffer, not yet linked into the graph.</summary>
    public long Pending => fresh.Count;

    /// <summary>The graph (what a snapshot saves): it holds every vector once <see cref="Pending"/> is 0.</summary>
    public HnswVectorIndex Graph => graph;

    /// <summary>The last failure to link a vector into the graph; it stays in the buffer, searched exactly, and is retried on the next add.</summary>
    public string? LastMoveError => lastMoveError;

    public long MemoryBytes => graph.MemoryBytes + fresh.MemoryBytes;

    public void Add(ulong key, ReadOnlySpan<float> vector)
    {
        fresh.Add(key, vector);
        Enqueue([key]);
    }

    public void AddRange(ReadOnlyMemory<ulong> keys, ReadOnlyMemory<float> rows)
    {
        fresh.AddRange(keys, rows);
        Enqueue(keys.Span);
    }

    public bool Remove(ulong key)
    {
        bool removed;
        lock (moveGate)
        {
            removed = fresh.Remove(key) || graph.Remove(key);
        }
        if (removed)
        {
            Interlocked.Decrement(ref count);
        }
        return removed;
    }

    public bool Contains(ulong key) => fresh.Contains(key) || graph.Contains(key);

    // The buffer first: a vector leaves it only once it is in the graph.
    public bool TryGet(ulong key, Span<float> destination) => fresh.TryGet(key, destination) || graph.TryGet(key, destination);

    public IReadOnlyList<Neighbor> Search(ReadOnlySpan<float> query, int k, Func<ulong, bool>? accept = null)
    {
        var recent = fresh.Search(query, k, accept); // first, for the same reason as TryGet
        var linked = graph.Search(query, k, accept);
        if (recent.Count == 0)
        {
            return linked;
        }
        var seen = new HashSet<ulong>();
        var merged = recent.Concat(linked).Where(n => seen.Add(n.Key)).ToArray();
        Array.Sort(merged, static (a, b) => a.Similarity != b.Similarity ? b.Similarity.CompareTo(a.Similarity) : a.Key.CompareTo(b.Key));
        return merged.Length <= k ? merged : merged[..k];
    }

    /// <summary>Moves every buffered vector into the graph on the calling thread (the background thread keeps moving too).</summary>
    /// <exception cref="USearchException">The graph refused a vector (it stays in the buffer).</exception>
    public void MoveAll(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        while (MoveChunkOf())
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public void Dispose()
    {
        lock (moveGate)
        {
            if (disposed)
            {
                return;
            }
            disposed = true;
            stopping = true;
        }
        wake.Release();
        mover.Join();
        graph.Dispose();
        fresh.Dispose();
        wake.Dispose();
    }

    private void Enqueue(ReadOnlySpan<ulong> keys)
    {
        foreach (var key in keys)
        {
            waiting.Enqueue(key);
        }
        Interlocked.Add(ref count, keys.Length);
        wake.Release();
    }

    /// <summary>Links up to <see cref="MoveChunk"/> waiting vectors into the graph, then drops them from the buffer; whether more wait.</summary>
    private bool MoveChunkOf()
    {
        var vector = new float[Dimensions];
        Span<ulong> moved = stackalloc ulong[MoveChunk];
        lock (moveGate)
        {
            if (disposed)
            {
                return false;
            }
            var n = 0;
            try
            {
                while (n < MoveChunk && waiting.TryPeek(out var key))
                {
                    // Removed while it waited: nothing to move.
                    if (fresh.TryGet(key, vector))
                    {
                        graph.AddUnit(key, vector);
                        moved[n++] = key;
                    }
                    waiting.TryDequeue(out _); // consumers take turns on moveGate: this is the key just peeked
                }
            }
            finally
            {
                fresh.RemoveRange(moved[..n]);
            }
            if (waiting.IsEmpty)
            {
                fresh.TrimExcess();
            }
            return !waiting.IsEmpty;
        }
    }

    private void MoveLoop()
    {
        while (true)
        {
            wake.Wait();
            while (!stopping)
            {
                try
                {
                    if (!MoveChunkOf())
                    {
                        break;
                    }
                    lastMoveError = null;
                }
                catch (USearchException e)
                {
                    lastMoveError = e.Message; // the vector stays buffered and searched exactly; the next add retries
                    break;
                }
            }
            if (stopping)
            {
                return;
            }
        }
    }
}
