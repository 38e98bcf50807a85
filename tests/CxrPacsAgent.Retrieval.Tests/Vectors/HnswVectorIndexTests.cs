using CxrPacsAgent.Retrieval.Tests.TestSupport;
using CxrPacsAgent.Retrieval.Vectors;

namespace CxrPacsAgent.Retrieval.Tests.Vectors;

public sealed class HnswVectorIndexTests
{
    private const int Dimensions = 128;

    [Fact]
    public void Recall_at_5_against_exact_search_on_clustered_data_with_near_ties_is_at_least_0_99()
    {
        const int n = 12_000;
        var rows = ClusteredVectors.Generate(n, Dimensions, seed: 11);
        var keys = Enumerable.Range(0, n).Select(i => (ulong)i).ToArray();
        using var exact = new ExactVectorIndex(Dimensions);
        using var hnsw = new HnswVectorIndex(Dimensions);
        exact.AddRange(keys, rows);
        hnsw.AddRange(keys, rows);
        Assert.Equal(n, hnsw.Count);
        // Queries are fresh points of the same distribution, plus perturbed copies of stored ones (a repeat film).
        var fresh = ClusteredVectors.Generate(n + 150, Dimensions, seed: 11)[(n * Dimensions)..];
        var queries = Enumerable.Range(0, 150).Select(i => ClusteredVectors.Row(fresh, Dimensions, i))
            .Concat(Enumerable.Range(0, 150).Select(i => Perturbed(ClusteredVectors.Row(rows, Dimensions, i * 37), i))).ToList();
        var recall = Recall.AtK(exact, hnsw, queries, 5);
        Assert.True(recall >= 0.99, $"recall@5 {recall:F4}");
    }

    [Fact]
    public void A_filter_keeps_rejected_keys_out_and_still_returns_k_hits()
    {
        var rows = ClusteredVectors.Generate(2_000, 16, seed: 5, duplicateShare: 0);
        using var hnsw = new HnswVectorIndex(16);
        hnsw.AddRange(Enumerable.Range(0, 2_000).Select(i => (ulong)i).ToArray(), rows);
        var query = ClusteredVectors.Row(rows, 16, 42);
        Assert.Equal(42UL, hnsw.Search(query, 1)[0].Key);
        var hits = hnsw.Search(query, 10, key => key % 3 != 0 && key != 42);
        Assert.Equal(10, hits.Count);
        Assert.DoesNotContain(hits, h => h.Key % 3 == 0 || h.Key == 42);
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Similarity >= p.Second.Similarity));
    }

    [Fact]
    public void A_failing_filter_surfaces_as_an_exception_after_the_native_search()
    {
        using var hnsw = new HnswVectorIndex(4);
        hnsw.Add(1, [1, 2, 3, 4]);
        var e = Assert.Throws<InvalidOperationException>(() => hnsw.Search([1, 2, 3, 4], 1, _ => throw new FormatException("boom")));
        Assert.IsType<FormatException>(e.InnerException);
    }

    [Fact]
    public void Saved_and_loaded_graphs_answer_identically_and_a_damaged_file_is_refused()
    {
        using var folder = new TempFolder();
        var rows = ClusteredVectors.Generate(3_000, 32, seed: 8, duplicateShare: 0);
        var path = folder.File("graph.usearch");
        using (var hnsw = new HnswVectorIndex(32, initialCapacity: 10))
        {
            for (var i = 0; i < 3_000; i++)
            {
                hnsw.Add((ulong)i, ClusteredVectors.Row(rows, 32, i)); // grows from 10 by doubling
            }
            Assert.True(hnsw.Remove(7));
            hnsw.Save(path);
        }
        using var loaded = HnswVectorIndex.Load(path, 32);
        Assert.Equal(2_999, loaded.Count);
        Assert.False(loaded.Contains(7));
        var stored = new float[32];
        Assert.True(loaded.TryGet(8, stored));
        Assert.Equal(UnitVector.Normalize(ClusteredVectors.Row(rows, 32, 8)), stored);
        Assert.Equal(8UL, loaded.Search(ClusteredVectors.Row(rows, 32, 8), 1)[0].Key);
        loaded.Add(5_000, ClusteredVectors.Row(rows, 32, 7)); // a loaded graph grows too
        Assert.Equal(5_000UL, loaded.Search(ClusteredVectors.Row(rows, 32, 7), 1)[0].Key);

        Assert.Equal(RetrievalError.DimensionMismatch, Assert.Throws<RetrievalException>(() => HnswVectorIndex.Load(path, 64)).Error);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.Throws<USearchException>(() => HnswVectorIndex.Load(path, 32));
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Throws<USearchException>(() => HnswVectorIndex.Load(path, 32));
    }

    [Fact]
    public async Task Concurrent_adds_and_searches_keep_every_answer_exact_for_stored_vectors()
    {
        var rows = ClusteredVectors.Generate(4_000, 16, seed: 9, duplicateShare: 0);
        using var hnsw = new HnswVectorIndex(16, initialCapacity: 16);
        hnsw.AddRange(Enumerable.Range(0, 1_000).Select(i => (ulong)i).ToArray(), rows.AsMemory(0, 1_000 * 16));
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            for (var i = 1_000 + w; i < 4_000; i += 2)
            {
                hnsw.Add((ulong)i, ClusteredVectors.Row(rows, 16, i)); // grows the graph while searches run
            }
        }));
        var readers = Enumerable.Range(0, 8).Select(r => Task.Run(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                var key = (ulong)((r * 131) + i) % 1_000;
                var hit = hnsw.Search(ClusteredVectors.Row(rows, 16, (int)key), 3);
                Assert.True(hit[0].Key == key, $"{key}: {string.Join(", ", hit)}");
            }
        }));
        await Task.WhenAll([.. writers, .. readers]);
        Assert.Equal(4_000, hnsw.Count);
        Assert.All(Enumerable.Range(0, 4_000), i => Assert.True(hnsw.Contains((ulong)i)));
    }

    private static float[] Perturbed(float[] row, int seed)
    {
        var random = new Random(seed);
        return [.. row.Select(v => v + (float)(ClusteredVectors.Gaussian(random) * 0.05))];
    }
}
