namespace CxrPacsAgent.Retrieval.Vectors;

/// <summary>Parameters of the HNSW graph (USearch). Defaults are the measured ones of docs/BENCHMARKS.md.</summary>
public sealed record HnswOptions
{
    /// <summary>
    /// Links per node (HNSW's M). More: better recall, more memory and slower adds. Default 32: the shipped model's
    /// embeddings form tight class clusters full of near-ties, where M = 16 stops at recall@5 0.989 whatever the search
    /// expansion, and M = 32 reaches 0.996 (RealEmbeddingRecallTests, docs/retrieval.md).
    /// </summary>
    public int Connectivity { get; init; } = 32;

    /// <summary>
    /// Candidates kept while linking a new vector (efConstruction). More: a better graph, slower adds. Default 64: on the
    /// real embeddings it gives the recall of 128 (0.996) at twice the add rate, where 40 (FAISS's default) stops at 0.980.
    /// </summary>
    public int ExpansionAdd { get; init; } = 64;

    /// <summary>Candidates kept while searching (ef). More: better recall, slower queries. Default 128.</summary>
    public int ExpansionSearch { get; init; } = 128;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Connectivity, 2, nameof(Connectivity));
        ArgumentOutOfRangeException.ThrowIfLessThan(ExpansionAdd, 1, nameof(ExpansionAdd));
        ArgumentOutOfRangeException.ThrowIfLessThan(ExpansionSearch, 1, nameof(ExpansionSearch));
    }
}
