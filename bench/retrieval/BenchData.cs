using System.Runtime.InteropServices;

namespace CxrPacsAgent.Bench.Retrieval;

/// <summary>The files generate.py writes: base and query vectors (unit length) and the exact top 10 per query.</summary>
internal sealed class BenchData
{
    public const int K = 5;

    public BenchData(string folder, int n, int dimensions)
    {
        (N, Dimensions) = (n, dimensions);
        Base = Read<float>(Path.Combine(folder, "base.f32"));
        Queries = Read<float>(Path.Combine(folder, "queries.f32"));
        Truth = Read<long>(Path.Combine(folder, "truth.i64"));
        if (Base.Length != (long)n * dimensions)
        {
            throw new InvalidDataException($"base.f32 holds {Base.Length} floats, not {n} × {dimensions}");
        }
        QueryCount = Queries.Length / dimensions;
        TruthWidth = Truth.Length / QueryCount;
    }

    public int N { get; }

    public int Dimensions { get; }

    public float[] Base { get; }

    public float[] Queries { get; }

    public long[] Truth { get; }

    public int QueryCount { get; }

    public int TruthWidth { get; }

    public ReadOnlySpan<float> Query(int q) => Queries.AsSpan(q * Dimensions, Dimensions);

    public ReadOnlySpan<float> Row(long i) => Base.AsSpan((int)(i * Dimensions), Dimensions);

    /// <summary>recall@5 as faiss_reference.py computes it: a hit as similar as the exact 5th (within 1e-6) counts.</summary>
    public double Recall(IReadOnlyList<IReadOnlyList<(long Key, float Similarity)>> found)
    {
        var hits = 0;
        for (var q = 0; q < QueryCount; q++)
        {
            var truth = Truth.AsSpan(q * TruthWidth, K).ToArray();
            var kth = System.Numerics.Tensors.TensorPrimitives.Dot(Row(truth[K - 1]), Query(q));
            hits += found[q].Take(K).Count(f => truth.Contains(f.Key) || f.Similarity >= kth - 1e-6f);
        }
        return (double)hits / (K * QueryCount);
    }

    private static T[] Read<T>(string path) where T : struct
    {
        var bytes = File.ReadAllBytes(path);
        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }
}
