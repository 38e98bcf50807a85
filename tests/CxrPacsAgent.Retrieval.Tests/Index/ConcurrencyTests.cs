using System.Collections.Concurrent;
using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Storage.Sqlite;
using CxrPacsAgent.Retrieval.Tests.TestSupport;

namespace CxrPacsAgent.Retrieval.Tests.Index;

public sealed class ConcurrencyTests
{
    private const int Dimensions = 32;

    [Fact]
    public async Task Searches_while_entries_are_added_across_the_move_to_HNSW_always_find_what_was_added_before_them()
    {
        using var folder = new TempFolder();
        var rows = ClusteredVectors.Generate(1_200, Dimensions, seed: 77, duplicateShare: 0);
        using var store = SqliteEmbeddingStore.Open(folder.File("agent.db"));
        await using var index = await EmbeddingIndex.OpenAsync(store, Entries.Model, Dimensions,
            new EmbeddingIndexOptions { ExactSearchLimit = 300, SnapshotEvery = 200 });
        var added = new ConcurrentDictionary<int, bool>();
        var done = false;
        var writer = Task.Run(async () =>
        {
            for (var batch = 0; batch < 60; batch++)
            {
                var ids = Enumerable.Range(batch * 20, 20).ToArray();
                await index.AddRangeAsync([.. ids.Select(i => Entries.Make(i, ClusteredVectors.Row(rows, Dimensions, i)))]);
                foreach (var i in ids)
                {
                    added[i] = true;
                }
            }
            Volatile.Write(ref done, true);
        });
        var searchers = Enumerable.Range(0, 3).Select(s => Task.Run(async () =>
        {
            var random = new Random(s);
            var searches = 0;
            while (!Volatile.Read(ref done) || searches < 50)
            {
                var known = added.Keys.ToArray();
                if (known.Length == 0)
                {
                    await Task.Yield();
                    continue;
                }
                var i = known[random.Next(known.Length)];
                var hits = await index.SearchAsync(new SimilarityQuery(Entries.Model, ClusteredVectors.Row(rows, Dimensions, i)) { K = 4 });
                Assert.Equal(Entries.Uid("1", i), hits[0].Entry.SopInstanceUid);
                Assert.True(hits.Count >= Math.Min(4, known.Length), $"{hits.Count} hits with {known.Length} entries added");
                searches++;
            }
            return searches;
        })).ToArray();
        await writer;
        var counts = await Task.WhenAll(searchers);
        Assert.All(counts, c => Assert.True(c >= 50));
        Assert.Equal(IndexMode.Hnsw, index.Statistics().Mode);
        Assert.Equal(1_200, index.Count);
        Assert.True((await index.VerifyAsync()).Consistent);
    }
}
