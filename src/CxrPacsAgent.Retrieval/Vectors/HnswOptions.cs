namespace CxrPacsAgent.Retrieval.Vectors;

/// <summary>Parameters of the HNSW graph (USearch). Defaults are the measured ones of docs/BENCHMARKS.md.</summary>
public sealed record HnswOptions
{
    /// <summary>Links per node (HNSW's M). More: better recall, more memory. Default 16.</summary>
    public int Connectivity { get; init; } = 16;

    /// <summary>Candidates kept while linking a new vector (efConstruction). Default 128.</summary>
    public int ExpansionAdd { get; init; } = 128;

    /// <summary>Candidates kept while searching (ef). More: better recall, slower queries. Default 64.</summary>
    public int ExpansionSearch { get; init; } = 64;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Connectivity, 2, nameof(Connectivity));
        ArgumentOutOfRangeException.ThrowIfLessThan(ExpansionAdd, 1, nameof(ExpansionAdd));
        ArgumentOutOfRangeException.ThrowIfLessThan(ExpansionSearch, 1, nameof(ExpansionSearch));
    }
}
