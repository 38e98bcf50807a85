namespace CxrPacsAgent.Retrieval.Vectors;

/// <summary>
/// An in-memory cosine-similarity index of fixed-dimension float32 vectors under 64-bit keys. Thread-safe: searches run
/// concurrently with each other and with adds. Vectors are normalised on the way in; similarities are cosines.
/// </summary>
public interface IVectorIndex : IDisposable
{
    int Dimensions { get; }

    /// <summary>Vectors held (removed ones excluded).</summary>
    long Count { get; }

    /// <summary>Bytes of memory the index holds, as far as it can tell.</summary>
    long MemoryBytes { get; }

    /// <summary>Adds a vector under a key the index does not hold yet.</summary>
    void Add(ulong key, ReadOnlySpan<float> vector);

    /// <summary>Adds rows (row-major, <see cref="Dimensions"/> floats each) under keys the index does not hold, using the cores it may.</summary>
    void AddRange(ReadOnlyMemory<ulong> keys, ReadOnlyMemory<float> rows);

    bool Remove(ulong key);

    bool Contains(ulong key);

    /// <summary>The stored (normalised) vector of <paramref name="key"/>.</summary>
    bool TryGet(ulong key, Span<float> destination);

    /// <summary>
    /// The <paramref name="k"/> keys most similar to <paramref name="query"/>, best first (equal similarities: lower key
    /// first), among those <paramref name="accept"/> lets through.
    /// </summary>
    IReadOnlyList<Neighbor> Search(ReadOnlySpan<float> query, int k, Func<ulong, bool>? accept = null);
}
