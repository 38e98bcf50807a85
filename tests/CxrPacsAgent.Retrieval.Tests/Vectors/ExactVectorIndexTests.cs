using CxrPacsAgent.Retrieval.Vectors;

namespace CxrPacsAgent.Retrieval.Tests.Vectors;

public sealed class ExactVectorIndexTests
{
    [Fact]
    public void Search_returns_the_most_similar_vectors_best_first_with_cosine_similarities()
    {
        using var index = new ExactVectorIndex(3);
        index.Add(1, [1, 0, 0]);
        index.Add(2, [0, 1, 0]);
        index.Add(3, [10, 10, 0]); // length does not matter: cosine
        index.Add(4, [-1, 0, 0]);
        var hits = index.Search([2, 0, 0], 3);
        Assert.Equal([1UL, 3UL, 2UL], hits.Select(h => h.Key));
        Assert.Equal(1f, hits[0].Similarity, 5);
        Assert.Equal(MathF.Sqrt(0.5f), hits[1].Similarity, 5);
        Assert.Equal(0f, hits[2].Similarity, 5);
    }

    [Fact]
    public void Ties_go_to_the_lower_key_whatever_the_order_of_adds_and_removes()
    {
        using var index = new ExactVectorIndex(2);
        foreach (var key in new ulong[] { 9, 4, 7, 1, 5 })
        {
            index.Add(key, [1, 1]);
        }
        Assert.True(index.Remove(4));
        Assert.Equal([1UL, 5UL, 7UL], index.Search([3, 3], 3).Select(h => h.Key));
    }

    [Fact]
    public void The_filter_is_honoured_and_asked_only_about_candidates_that_could_enter()
    {
        using var index = new ExactVectorIndex(2);
        for (ulong key = 0; key < 100; key++)
        {
            index.Add(key, [1, key]);
        }
        var asked = 0;
        var hits = index.Search([1, 0], 2, key => { asked++; return key % 2 == 1; });
        Assert.Equal([1UL, 3UL], hits.Select(h => h.Key));
        Assert.True(asked < 100, $"the filter was asked {asked} times");
    }

    [Fact]
    public void Remove_keeps_every_other_vector_findable_and_its_own_gone()
    {
        using var index = new ExactVectorIndex(4, initialCapacity: 2);
        var rows = TestSupport.ClusteredVectors.Generate(50, 4, seed: 3, duplicateShare: 0);
        for (var i = 0; i < 50; i++)
        {
            index.Add((ulong)i, TestSupport.ClusteredVectors.Row(rows, 4, i));
        }
        Assert.True(index.Remove(10));
        Assert.False(index.Remove(10));
        Assert.False(index.Contains(10));
        Assert.Equal(49, index.Count);
        var stored = new float[4];
        Assert.True(index.TryGet(49, stored));
        Assert.Equal(UnitVector.Normalize(TestSupport.ClusteredVectors.Row(rows, 4, 49)), stored);
        Assert.Equal(49UL, index.Search(TestSupport.ClusteredVectors.Row(rows, 4, 49), 1)[0].Key);
    }

    [Fact]
    public void Wrong_dimensions_NaN_zero_vectors_and_repeated_keys_are_refused_by_name()
    {
        using var index = new ExactVectorIndex(3);
        Assert.Equal(RetrievalError.DimensionMismatch, Assert.Throws<RetrievalException>(() => index.Add(1, [1, 2])).Error);
        Assert.Equal(RetrievalError.DimensionMismatch, Assert.Throws<RetrievalException>(() => index.Search([1, 2, 3, 4], 1)).Error);
        Assert.Equal(RetrievalError.InvalidEmbedding, Assert.Throws<RetrievalException>(() => index.Add(1, [float.NaN, 0, 1])).Error);
        Assert.Equal(RetrievalError.InvalidEmbedding, Assert.Throws<RetrievalException>(() => index.Add(1, [0, 0, 0])).Error);
        Assert.Equal(RetrievalError.InvalidEmbedding, Assert.Throws<RetrievalException>(() => index.Search([float.PositiveInfinity, 0, 0], 1)).Error);
        index.Add(1, [1, 2, 3]);
        Assert.Throws<ArgumentException>(() => index.Add(1, [3, 2, 1]));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void A_copy_holds_the_same_vectors_bit_for_bit_and_goes_its_own_way_and_removal_in_bulk_and_trimming_keep_the_rest()
    {
        var rows = TestSupport.ClusteredVectors.Generate(3_000, 8, seed: 4, duplicateShare: 0);
        using var index = new ExactVectorIndex(8);
        index.AddRange(Enumerable.Range(0, 3_000).Select(i => (ulong)i).ToArray(), rows);
        using var copy = index.Copy(10);
        Assert.Equal(index.Keys(), copy.Keys());
        var (a, b) = (new float[8], new float[8]);
        Assert.All(index.Keys(), key => Assert.True(index.TryGet(key, a) && copy.TryGet(key, b) && a.SequenceEqual(b)));
        Assert.Equal(2_990, copy.RemoveRange([.. Enumerable.Range(0, 2_990).Select(i => (ulong)i), 5_000]));
        Assert.Equal(3_000, index.Count);
        copy.TrimExcess();
        Assert.Equal(10, copy.Count);
        Assert.True(copy.MemoryBytes < index.MemoryBytes / 2);
        Assert.Equal(2_995UL, copy.Search(TestSupport.ClusteredVectors.Row(rows, 8, 2_995), 1)[0].Key);
        copy.Add(7_000, TestSupport.ClusteredVectors.Row(rows, 8, 1));
        Assert.False(index.Contains(7_000));
        Assert.Equal(7_000UL, copy.Search(TestSupport.ClusteredVectors.Row(rows, 8, 1), 1)[0].Key);
    }
}
