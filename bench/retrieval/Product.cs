using System.Diagnostics;
using System.Globalization;
using CxrPacsAgent.Retrieval;
using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Storage.Sqlite;

namespace CxrPacsAgent.Bench.Retrieval;

/// <summary>The index as the service uses it: rows in SQLite (WAL, full sync), the index derived from them, its snapshot.</summary>
internal static class Product
{
    private static readonly ModelIdentity Model = new("bench-model", "1");

    public static async Task WriteAsync(BenchData data, string database)
    {
        using var store = SqliteEmbeddingStore.Open(database);
        var model = await store.RegisterModelAsync(Model, data.Dimensions);
        // Bulk (an import): 10,000 entries per transaction.
        var clock = Stopwatch.StartNew();
        const int batch = 10_000;
        for (var start = 0; start < data.N; start += batch)
        {
            var entries = Enumerable.Range(start, Math.Min(batch, data.N - start)).Select(i => Entry(data, i)).ToList();
            await store.UpsertAsync(model, entries);
        }
        var bulk = data.N / clock.Elapsed.TotalSeconds;
        Line($"ours-rows-bulk n={data.N} d={data.Dimensions} add_per_s={bulk:F0} db_mb={Size(database) / 1048576.0:F0}");
        // Derive the index from the rows (no snapshot yet), then save its snapshot.
        clock.Restart();
        var index = await EmbeddingIndex.OpenAsync(store, Model, data.Dimensions, new EmbeddingIndexOptions { SnapshotEvery = int.MaxValue });
        var build = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var saved = await index.SaveSnapshotAsync();
        var snapshotSeconds = clock.Elapsed.TotalSeconds;
        var stats = index.Statistics();
        var snapshotFolder = Path.GetDirectoryName(stats.SnapshotPath)!;
        var snapshotBytes = Directory.Exists(snapshotFolder) ? Directory.GetFiles(snapshotFolder).Sum(f => new FileInfo(f).Length) : 0;
        Line($"ours-index-from-rows n={data.N} d={data.Dimensions} mode={stats.Mode} build_s={build:F1} add_per_s={data.N / build:F0} snapshot_saved={saved} snapshot_s={snapshotSeconds:F2} snapshot_mb={snapshotBytes / 1048576.0:F0}");
        // One entry per transaction, as the service adds one per study: bound by the commit's fsync.
        clock.Restart();
        const int single = 200;
        for (var i = 0; i < single; i++)
        {
            await index.AddAsync(Entry(data, i) with { SopInstanceUid = $"1.2.826.0.1.3680043.10.1234.9.{i}" });
        }
        Line($"ours-add-one-per-transaction n={data.N} d={data.Dimensions} add_per_s={single / clock.Elapsed.TotalSeconds:F0}");
        await index.DisposeAsync();
    }

    /// <summary>A new process's start: open the index from its snapshot (and the rows after it), then one search.</summary>
    public static async Task OpenAsync(string database, int dimensions, string dataFolder)
    {
        var clock = Stopwatch.StartNew();
        using var store = SqliteEmbeddingStore.Open(database);
        await using var index = await EmbeddingIndex.OpenAsync(store, Model, dimensions);
        var open = clock.Elapsed.TotalSeconds;
        var query = new float[dimensions];
        using (var queries = File.OpenRead(Path.Combine(dataFolder, "queries.f32")))
        {
            queries.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(query.AsSpan()));
        }
        var hits = await index.SearchAsync(new SimilarityQuery(Model, query) { K = 5 });
        var first = clock.Elapsed.TotalSeconds;
        var stats = index.Statistics();
        Line($"ours-product-cold-start n={stats.Count} d={dimensions} origin={stats.Origin} mode={stats.Mode} open_s={open:F2} first_search_s={first:F2} hits={hits.Count} memory_mb={Memory.Rss() / 1048576.0:F0}");
    }

    private static LibraryEntry Entry(BenchData data, int i) => new()
    {
        Model = Model,
        SopInstanceUid = $"1.2.826.0.1.3680043.10.1234.1.{i}",
        SeriesInstanceUid = $"1.2.826.0.1.3680043.10.1234.2.{i}",
        StudyInstanceUid = $"1.2.826.0.1.3680043.10.1234.3.{i}",
        Score = 0.5f,
        ModelLabel = "NORMAL",
        Embedding = data.Row(i).ToArray(),
    };

    private static long Size(string database) =>
        new[] { database, database + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);

    private static void Line(string text) => Console.WriteLine(text.ToString(CultureInfo.InvariantCulture));
}
