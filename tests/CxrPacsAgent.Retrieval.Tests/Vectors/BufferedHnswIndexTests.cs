using CxrPacsAgent.Retrieval.Tests.TestSupport;
using CxrPacsAgent.Retrieval.Vectors;

namespace CxrPacsAgent.Retrieval.Tests.Vectors;

public sealed class BufferedHnswIndexTests
{
    private const int Dimensions = 16;

    [Fact]
    public void An_added_vector_is_found_at_once_and_after_the_merge_the_graph_holds_everything_with_the_same_answers()
    {
        var rows = ClusteredVectors.Generate(3_000, Dimensions, seed: 21, duplicateShare: 0);
        using var index = new BufferedHnswIndex(new HnswVectorIndex(Dimensions));
        index.AddRange(Keys(0, 3_000), rows);
        Assert.Equal(3_000, index.Count);
        // Right after the add, before the background thread can have linked them all: every vector finds itself.
        Assert.True(index.Pending > 0, "3,000 graph inserts cannot have finished within the add");
        for (var i = 0; i < 3_000; i += 97)
        {
            Assert.Equal((ulong)i, index.Search(ClusteredVectors.Row(rows, Dimensions, i), 1)[0].Key);
        }
        index.MoveAll();
        Assert.Equal(0, index.Pending);
        Assert.Equal(3_000, index.Graph.Count);
        Assert.Equal(3_000, index.Count);
        using var exact = new ExactVectorIndex(Dimensions);
        exact.AddRange(Keys(0, 3_000), rows);
        var queries = Enumerable.Range(0, 100).Select(i => ClusteredVectors.Row(rows, Dimensions, i * 29)).ToList();
        Assert.True(Recall.AtK(exact, index, queries, 5) >= 0.99);
    }

    [Fact]
    public void A_vector_removed_while_it_waits_never_reaches_the_graph_and_a_merged_one_leaves_it()
    {
        var rows = ClusteredVectors.Generate(200, Dimensions, seed: 3, duplicateShare: 0);
        using var index = new BufferedHnswIndex(new HnswVectorIndex(Dimensions));
        index.AddRange(Keys(0, 100), rows.AsMemory(0, 100 * Dimensions));
        index.MoveAll();
        index.AddRange(Keys(100, 100), rows.AsMemory(100 * Dimensions));
        Assert.True(index.Remove(150)); // waiting or already moved: either way it must end up nowhere
        Assert.True(index.Remove(50)); // in the graph
        Assert.False(index.Remove(50));
        index.MoveAll();
        Assert.Equal(198, index.Count);
        Assert.Equal(198, index.Graph.Count);
        Assert.False(index.Contains(150));
        Assert.False(index.Graph.Contains(150));
        Assert.False(index.Contains(50));
        Assert.DoesNotContain(index.Search(ClusteredVectors.Row(rows, Dimensions, 150), 10), n => n.Key is 150 or 50);
        var stored = new float[Dimensions];
        Assert.True(index.TryGet(151, stored));
        Assert.Equal(UnitVector.Normalize(ClusteredVectors.Row(rows, Dimensions, 151)), stored);
    }

    [Fact]
    public async Task The_background_merge_empties_the_buffer_while_adds_searches_and_removals_go_on()
    {
        var rows = ClusteredVectors.Generate(6_000, Dimensions, seed: 12, duplicateShare: 0);
        using var index = new BufferedHnswIndex(new HnswVectorIndex(Dimensions));
        index.AddRange(Keys(0, 1_000), rows.AsMemory(0, 1_000 * Dimensions));
        var writer = Task.Run(() =>
        {
            for (var i = 1_000; i < 6_000; i += 50)
            {
                index.AddRange(Keys(i, 50), rows.AsMemory(i * Dimensions, 50 * Dimensions));
                Assert.True(index.Remove((ulong)(i + 7))); // just added: still waiting, or already moved
            }
        });
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(() =>
        {
            for (var i = 0; i < 400; i++)
            {
                var key = (ulong)(((r * 331) + (i * 7)) % 1_000);
                var hit = index.Search(ClusteredVectors.Row(rows, Dimensions, (int)key), 3);
                Assert.True(hit[0].Key == key, $"{key}: {string.Join(", ", hit)}");
            }
        }));
        await Task.WhenAll([writer, .. readers]);
        var removed = Enumerable.Range(0, 100).Select(b => (ulong)(1_000 + (b * 50) + 7)).ToHashSet();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (index.Pending > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Equal(0, index.Pending); // the background thread did it: MoveAll was never called
        Assert.Null(index.LastMoveError);
        Assert.Equal(5_900, index.Count);
        Assert.Equal(5_900, index.Graph.Count);
        Assert.All(Enumerable.Range(0, 6_000), i => Assert.Equal(!removed.Contains((ulong)i), index.Graph.Contains((ulong)i)));
    }

    [Fact]
    public void Vectors_of_other_dimensions_are_refused_and_a_disposed_index_refuses_a_merge()
    {
        using (var graph = new HnswVectorIndex(8))
        using (var buffer = new ExactVectorIndex(4))
        {
            Assert.Equal(RetrievalError.DimensionMismatch, Assert.Throws<RetrievalException>(() => new BufferedHnswIndex(graph, buffer)).Error);
        }
        var index = new BufferedHnswIndex(new HnswVectorIndex(8));
        index.Add(1, [1, 0, 0, 0, 0, 0, 0, 0]);
        Assert.Equal(RetrievalError.DimensionMismatch, Assert.Throws<RetrievalException>(() => index.Add(2, [1, 2, 3])).Error);
        Assert.Equal(RetrievalError.DimensionMismatch, Assert.Throws<RetrievalException>(() => index.Search([1, 2, 3], 1)).Error);
        Assert.Equal(1, index.Count);
        index.Dispose();
        index.Dispose();
        Assert.Throws<ObjectDisposedException>(() => index.MoveAll());
    }

    private static ulong[] Keys(int from, int count) => [.. Enumerable.Range(from, count).Select(i => (ulong)i)];
}
