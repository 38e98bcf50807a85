using CxrPacsAgent.Retrieval.Storage;

namespace CxrPacsAgent.Retrieval.Index;

/// <summary>The state of an open index, for <c>index stats</c>, health checks and logs.</summary>
public sealed record IndexStatistics
{
    public required ModelIdentity Model { get; init; }

    public required int Dimensions { get; init; }

    /// <summary>Entries searchable now.</summary>
    public required long Count { get; init; }

    public required IndexMode Mode { get; init; }

    /// <summary>Where the index came from when it was opened.</summary>
    public required IndexOrigin Origin { get; init; }

    /// <summary>Why a snapshot was not used (missing, damaged, disagreeing with the rows); null when it was, or none is kept.</summary>
    public string? SnapshotProblem { get; init; }

    /// <summary>How far the rows have been read.</summary>
    public required Watermark Watermark { get; init; }

    /// <summary>Entries in the fresh segment (searched exactly), not yet linked into the HNSW graph by the background merge.</summary>
    public long Pending { get; init; }

    /// <summary>The last failure to link an entry into the graph (it stays in the fresh segment and is retried on the next add).</summary>
    public string? LastMergeError { get; init; }

    public required long MemoryBytes { get; init; }

    /// <summary>The snapshot state file, when snapshots are kept.</summary>
    public string? SnapshotPath { get; init; }

    /// <summary>The last failure to write a snapshot (the index works on; the rows are the truth).</summary>
    public string? LastSnapshotError { get; init; }
}

/// <summary>How an index searches.</summary>
public enum IndexMode
{
    /// <summary>Every vector compared (System.Numerics.Tensors): up to <see cref="EmbeddingIndexOptions.ExactSearchLimit"/> entries.</summary>
    Exact,
    /// <summary>The USearch HNSW graph beyond that size, with new entries searched exactly until they are linked into it.</summary>
    Hnsw,
}

/// <summary>What an index was built from when it was opened.</summary>
public enum IndexOrigin
{
    /// <summary>The rows of the store (no usable snapshot, or an exact index).</summary>
    Rows,
    /// <summary>A snapshot, then the rows written after it.</summary>
    Snapshot,
}
