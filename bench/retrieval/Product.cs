using System.Diagnostics;
using System.Globalization;
using CxrPacsAgent.Retrieval;
using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Storage.Sqlite;

namespace CxrPacsAgent.Bench.Retrieval;

/// <summary>The index as the service uses it: rows in SQLite (WAL, full sync), the index derived from them (fresh segment + HNSW), its snapshot.</summary>
internal static class Product
{
    private static readonly ModelIdentity Model = new("bench-model", "1");

    public static async Task WriteAsync(BenchData data, string database)
    {
        using var store = SqliteEmbeddingStore.Open(database);
        var index = await EmbeddingIndex.OpenAsync(store, Model, data.Dimensions, new EmbeddingIndexOptions { SnapshotEvery = int.MaxValue });
        // Acknowledged adds: rows committed (WAL, synchronous=FULL), 1,000 entries per transaction as an import writes them,
        // each searchable when AddRangeAsync returns (exactly, in the fresh segment, until the background merge links it).
        const int batch = 1_000;
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < data.N; start += batch)
        {
            await index.AddRangeAsync([.. Enumerable.Range(start, Math.Min(batch, data.N - start)).Select(i => Entry(data, i))]);
        }
        var acknowledged = clock.Elapsed.TotalSeconds;
        var pendingThen = index.Statistics().Pending;
        Line($"ours-add-acknowledged n={data.N} d={data.Dimensions} batch={batch} add_per_s={data.N / acknowledged:F0} seconds={acknowledged:F1} pending_in_fresh={pendingThen} db_mb={Size(database) / 1048576.0:F0}");
        // Searches while the background thread links the fresh segment into the graph (one query at a time, records read too).
        var during = new List<double>();
        var q = 0;
        while (index.Statistics().Pending > 0)
        {
            during.Add(await TimedSearchAsync(index, data, q++ % data.QueryCount));
            await Task.Delay(200);
        }
        var merged = clock.Elapsed.TotalSeconds;
        during.Sort();
        Line($"ours-merge-into-hnsw n={data.N} d={data.Dimensions} all_in_graph_after_s={merged:F1} merge_per_s={data.N / (merged - acknowledged):F0} searches_during={during.Count} p50_ms_during={Percentile(during, 0.5):F1} p99_ms_during={Percentile(during, 0.99):F1}");
        // The finished product index end to end (search + the neighbours' rows), recall@5 against exact search.
        var latencies = new double[data.QueryCount];
        var found = new List<(long, float)>[data.QueryCount];
        for (var i = 0; i < data.QueryCount; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var hits = await index.SearchAsync(new SimilarityQuery(Model, data.Query(i).ToArray()) { K = BenchData.K });
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            found[i] = [.. hits.Select(h => (long.Parse(h.Entry.SopInstanceUid[(h.Entry.SopInstanceUid.LastIndexOf('.') + 1)..], CultureInfo.InvariantCulture), h.Similarity))];
        }
        Array.Sort(latencies);
        Line($"ours-product-search n={data.N} d={data.Dimensions} recall5={data.Recall(found):F4} p50_ms={Percentile(latencies, 0.5):F3} p99_ms={Percentile(latencies, 0.99):F3}");
        clock.Restart();
        var saved = await index.SaveSnapshotAsync();
        var snapshotSeconds = clock.Elapsed.TotalSeconds;
        var stats = index.Statistics();
        var snapshotFolder = Path.GetDirectoryName(stats.SnapshotPath)!;
        var snapshotBytes = Directory.Exists(snapshotFolder) ? Directory.GetFiles(snapshotFolder).Sum(f => new FileInfo(f).Length) : 0;
        Line($"ours-snapshot n={data.N} d={data.Dimensions} mode={stats.Mode} snapshot_saved={saved} snapshot_s={snapshotSeconds:F2} snapshot_mb={snapshotBytes / 1048576.0:F0}");
        // One entry per transaction, as the service adds one per study: bound by the commit's fsync.
        clock.Restart();
        const int single = 200;
        for (var i = 0; i < single; i++)
        {
            await index.AddAsync(Entry(data, i) with { SopInstanceUid = $"1.2.826.0.1.3680043.10.1234.9.{i}" });
        }
        Line($"ours-add-one-per-transaction n={data.N} d={data.Dimensions} add_per_s={single / clock.Elapsed.TotalSeconds:F0}");
        await index.DisposeAsync();
        // Derived from the rows alone (no snapshot): searchable (exactly) once read; the graph follows in the background.
        clock.Restart();
        await using (var fromRows = await EmbeddingIndex.OpenAsync(store, Model, data.Dimensions, new EmbeddingIndexOptions { UseSnapshots = false }))
        {
            var open = clock.Elapsed.TotalSeconds;
            Line($"ours-index-from-rows n={fromRows.Count} d={data.Dimensions} open_s={open:F1} read_per_s={fromRows.Count / open:F0} pending_in_fresh={fromRows.Statistics().Pending}");
        }
    }

    /// <summary>
    /// The add paths side by side in one process (so load on a shared machine hits all three alike): rows alone (the
    /// durable floor), acknowledged adds (rows + fresh segment; then the time until the background merge is done), and
    /// adds that wait for the graph (each batch merged before the next: what an add cost before the fresh segment).
    /// Each reports wall time and the process's CPU time, which load on other processes does not inflate.
    /// </summary>
    public static async Task AddPathsAsync(BenchData data, string folder)
    {
        const int batch = 1_000;
        var entries = Enumerable.Range(0, data.N).Select(i => Entry(data, i)).ToList();
        {
            using var store = SqliteEmbeddingStore.Open(Path.Combine(folder, "rows.db"));
            var model = await store.RegisterModelAsync(Model, data.Dimensions);
            var (wall, cpu) = await TimedAsync(async () =>
            {
                foreach (var chunk in entries.Chunk(batch))
                {
                    await store.UpsertAsync(model, chunk);
                }
            });
            Line($"ours-addpath-rows-only n={data.N} d={data.Dimensions} batch={batch} add_per_s={data.N / wall:F0} cpu_s={cpu:F1}");
        }
        {
            using var store = SqliteEmbeddingStore.Open(Path.Combine(folder, "acknowledged.db"));
            await using var index = await EmbeddingIndex.OpenAsync(store, Model, data.Dimensions, new EmbeddingIndexOptions { UseSnapshots = false });
            var merged = Stopwatch.StartNew();
            var (wall, cpu) = await TimedAsync(async () =>
            {
                foreach (var chunk in entries.Chunk(batch))
                {
                    await index.AddRangeAsync(chunk);
                }
            });
            var pending = index.Statistics().Pending;
            var mergeCpu = MergeThreadCpu.Seconds();
            while (index.Statistics().Pending > 0)
            {
                await Task.Delay(100);
            }
            Line($"ours-addpath-acknowledged n={data.N} d={data.Dimensions} batch={batch} add_per_s={data.N / wall:F0} cpu_s={cpu:F1} of_which_merge_thread_s={mergeCpu:F1} pending_then={pending} all_in_graph_after_s={merged.Elapsed.TotalSeconds:F1} merge_thread_cpu_s={MergeThreadCpu.Seconds():F1}");
        }
        {
            using var store = SqliteEmbeddingStore.Open(Path.Combine(folder, "waiting.db"));
            await using var index = await EmbeddingIndex.OpenAsync(store, Model, data.Dimensions, new EmbeddingIndexOptions { UseSnapshots = false });
            var (wall, cpu) = await TimedAsync(async () =>
            {
                foreach (var chunk in entries.Chunk(batch))
                {
                    await index.AddRangeAsync(chunk);
                    await index.MergePendingAsync();
                }
            });
            Line($"ours-addpath-waiting-for-graph n={data.N} d={data.Dimensions} batch={batch} add_per_s={data.N / wall:F0} cpu_s={cpu:F1}");
        }
    }

    private static async Task<(double Wall, double Cpu)> TimedAsync(Func<Task> work)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await work();
        process.Refresh();
        return (clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static async Task<double> TimedSearchAsync(EmbeddingIndex index, BenchData data, int q)
    {
        var start = Stopwatch.GetTimestamp();
        _ = await index.SearchAsync(new SimilarityQuery(Model, data.Query(q).ToArray()) { K = BenchData.K });
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Round(q * (sorted.Count - 1)))];

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
