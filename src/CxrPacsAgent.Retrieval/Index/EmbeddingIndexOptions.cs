using CxrPacsAgent.Retrieval.Vectors;

namespace CxrPacsAgent.Retrieval.Index;

/// <summary>How an <see cref="EmbeddingIndex"/> searches and keeps itself. Defaults are those measured in docs/BENCHMARKS.md.</summary>
public sealed record EmbeddingIndexOptions
{
    /// <summary>Entries up to which search is exact (every vector compared); beyond, HNSW. Default 20,000.</summary>
    public int ExactSearchLimit { get; init; } = 20_000;

    public HnswOptions Hnsw { get; init; } = new();

    /// <summary>Changes after which an HNSW index saves a snapshot in the background. Default 1,000.</summary>
    public int SnapshotEvery { get; init; } = 1_000;

    /// <summary>Keep snapshots in the store's snapshot folder. Default true.</summary>
    public bool UseSnapshots { get; init; } = true;

    /// <summary>
    /// How often a search first reads rows other processes wrote (the service and a command-line import share one
    /// database). Default 5 s; <see cref="TimeSpan.Zero"/>: only <see cref="EmbeddingIndex.CatchUpAsync"/> does.
    /// </summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(5);
}
