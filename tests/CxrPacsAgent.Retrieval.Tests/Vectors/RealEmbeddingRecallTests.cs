using CxrPacsAgent.Retrieval.Tests.TestSupport;
using CxrPacsAgent.Retrieval.Vectors;

namespace CxrPacsAgent.Retrieval.Tests.Vectors;

/// <summary>HNSW recall against exact search on the shipped model's embeddings of real radiographs (Kermany and NIH).</summary>
public sealed class RealEmbeddingRecallTests(RealEmbeddings real) : IClassFixture<RealEmbeddings>
{
    [Fact]
    public void Recall_at_5_on_real_embeddings_with_repeat_films_is_at_least_0_99()
    {
        Assert.Equal(208, real.Vectors.Count);
        Assert.Equal(108, real.Kermany);
        // The library: each real embedding and 24 "repeat films" of it (the embedding moved by the spread seen between
        // two films of one patient) — 5,200 vectors in the tight class clusters this head produces, full of near-ties.
        var random = new Random(5);
        var library = new List<float[]>();
        foreach (var v in real.Vectors)
        {
            library.Add(v);
            for (var copy = 0; copy < 24; copy++)
            {
                library.Add(Jitter(v, random, 0.05));
            }
        }
        var keys = Enumerable.Range(0, library.Count).Select(i => (ulong)i).ToArray();
        var rows = library.SelectMany(v => v).ToArray();
        using var exact = new ExactVectorIndex(128);
        using var hnsw = new HnswVectorIndex(128);
        exact.AddRange(keys, rows);
        hnsw.AddRange(keys, rows);
        var queries = real.Vectors.Select(v => Jitter(v, random, 0.05)).ToList();
        var recall = Recall.AtK(exact, hnsw, queries, 5);
        Assert.True(recall >= 0.99, $"recall@5 {recall:F4} over {queries.Count} queries");
    }

    private static float[] Jitter(float[] v, Random random, double spread) =>
        [.. v.Select(x => MathF.Max(0, x + (float)(ClusteredVectors.Gaussian(random) * spread)))];
}
