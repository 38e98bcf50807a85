using System.Diagnostics;
using System.Globalization;
using CxrPacsAgent.Bench.Retrieval;
using CxrPacsAgent.Retrieval;
using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Storage.Sqlite;
using CxrPacsAgent.Retrieval.Vectors;

// Usage: vectors DATA N DIM | product DATA N DIM DB | adds DATA N DIM | open DB DIM DATA
// vectors: exact and HNSW indexes on their own (what FAISS is compared with). product: the SQLite rows, the index
// derived from them and its snapshot. adds: the three add paths side by side. open: the cold start of the product index from its snapshot, in a new process.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var mode = args[0];
switch (mode)
{
    case "vectors":
        Vectors(new BenchData(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)), args[1]);
        break;
    case "product":
        await Product.WriteAsync(new BenchData(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)), args[4]);
        break;
    case "adds":
        await Product.AddPathsAsync(new BenchData(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)), args[1]);
        break;
    case "open":
        await Product.OpenAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
        break;
    default:
        throw new ArgumentException($"unknown mode {mode}");
}

static void Vectors(BenchData data, string folder)
{
    var keys = Enumerable.Range(0, data.N).Select(i => (ulong)i).ToArray();
    {
        var before = Memory.Rss();
        var clock = Stopwatch.StartNew();
        using var exact = new ExactVectorIndex(data.Dimensions, data.N);
        exact.AddRange(keys, data.Base);
        var rate = data.N / clock.Elapsed.TotalSeconds;
        var memory = Memory.Rss() - before;
        var (p50, p99, recall) = Measure(data, exact);
        Report("ours-exact", data, recall, p50, p99, rate, memory, 0, double.NaN);
    }
    Hnsw(data, folder, new HnswOptions(), "");
    if (data.N <= 100_000)
    {
        // The construction effort either side of ours (64): FAISS's default 40, and 128.
        Hnsw(data, folder, new HnswOptions { ExpansionAdd = 40 }, "-efadd40");
        Hnsw(data, folder, new HnswOptions { ExpansionAdd = 128 }, "-efadd128");
    }
}

static void Hnsw(BenchData data, string folder, HnswOptions options, string variant)
{
    var keys = Enumerable.Range(0, data.N).Select(i => (ulong)i).ToArray();
    var before = Memory.Rss();
    var clock = Stopwatch.StartNew();
    using var hnsw = new HnswVectorIndex(data.Dimensions, options, data.N);
    hnsw.AddRange(keys, data.Base);
    var rate = data.N / clock.Elapsed.TotalSeconds;
    var memory = Memory.Rss() - before;
    var path = Path.Combine(folder, "ours-hnsw.usearch");
    hnsw.Save(path);
    var size = new FileInfo(path).Length;
    clock.Restart();
    using (var loaded = HnswVectorIndex.Load(path, data.Dimensions, options))
    {
        _ = loaded.Search(data.Query(0), BenchData.K);
    }
    var cold = clock.Elapsed.TotalSeconds;
    File.Delete(path);
    var defaults = hnsw.ExpansionSearch;
    foreach (var ef in new[] { 16, 64, defaults, 256 }.Distinct())
    {
        hnsw.ExpansionSearch = ef;
        var (p50, p99, recall) = Measure(data, hnsw);
        var tag = ef == defaults && variant.Length == 0 ? "-default" : "";
        Report($"ours-hnsw{options.Connectivity}{variant}-ef{ef}{tag}", data, recall, p50, p99, rate, memory, size, cold);
    }
    Console.WriteLine($"# usearch {hnsw.HardwareAcceleration}, memory_usage {hnsw.MemoryBytes / 1048576.0:F0} MB");
}

static (double P50, double P99, double Recall) Measure(BenchData data, IVectorIndex index)
{
    var latencies = new double[data.QueryCount];
    var found = new List<(long, float)>[data.QueryCount];
    for (var warm = 0; warm < 50; warm++)
    {
        _ = index.Search(data.Query(warm % data.QueryCount), BenchData.K);
    }
    for (var q = 0; q < data.QueryCount; q++)
    {
        var start = Stopwatch.GetTimestamp();
        var hits = index.Search(data.Query(q), BenchData.K);
        latencies[q] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        found[q] = [.. hits.Select(h => ((long)h.Key, h.Similarity))];
    }
    Array.Sort(latencies);
    return (Percentile(latencies, 0.5), Percentile(latencies, 0.99), data.Recall(found));
}

static double Percentile(double[] sorted, double q) => sorted[(int)Math.Min(sorted.Length - 1, Math.Round(q * (sorted.Length - 1)))];

static void Report(string name, BenchData data, double recall, double p50, double p99, double addRate, long memory, long disk, double cold) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name} n={data.N} d={data.Dimensions} recall5={recall:F4} p50_ms={p50:F3} p99_ms={p99:F3} add_per_s={addRate:F0} memory_mb={memory / 1048576.0:F0} disk_mb={disk / 1048576.0:F0} cold_s={cold:F2}"));
