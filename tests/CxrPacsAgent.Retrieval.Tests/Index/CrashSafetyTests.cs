using System.Diagnostics;
using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Storage.Sqlite;
using CxrPacsAgent.Retrieval.Tests.TestSupport;

namespace CxrPacsAgent.Retrieval.Tests.Index;

public sealed class CrashSafetyTests
{
    private static readonly ModelIdentity Model = new("crash-test-model", "1");

    [Fact]
    public async Task A_writer_killed_with_SIGKILL_mid_adds_and_snapshots_always_leaves_an_index_that_opens_and_matches_its_rows()
    {
        using var folder = new TempFolder();
        var database = folder.File("state/agent.db");
        var random = new Random(20_240_229);
        var origins = new List<IndexOrigin>();
        for (var round = 0; round < 4; round++)
        {
            // Kill somewhere between the 40th and the 160th change: across the exact→HNSW move, adds, replacements,
            // removals and snapshot writes (every 25 changes).
            var exitCode = RunAndKill(database, round, killAfter: 40 + random.Next(120), random.Next(15));
            Assert.Equal(137, exitCode); // 128 + SIGKILL (9): killed, not exited

            using var store = SqliteEmbeddingStore.Open(database);
            await using var index = await EmbeddingIndex.OpenAsync(store, Model, 32, CrashOptions.Index);
            var stats = index.Statistics();
            origins.Add(stats.Origin);
            var report = await index.VerifyAsync();
            Assert.True(report.Consistent, $"round {round} ({stats.Origin}, {stats.SnapshotProblem}): {report}");
            var model = await store.RegisterModelAsync(Model, 32);
            Assert.Equal(await store.CountAsync(model), index.Count);
            // Each stored vector is its own nearest neighbour.
            await foreach (var entry in store.ReadEntriesAsync(model).Where((_, i) => i % 17 == 0))
            {
                var hit = await index.SearchAsync(new SimilarityQuery(Model, entry.Embedding) { K = 1 });
                Assert.Equal(entry.Record.SopInstanceUid, hit[0].Entry.SopInstanceUid);
            }
        }
        Assert.Contains(IndexOrigin.Snapshot, origins); // restarts used the snapshots the killed writer left
    }

    /// <summary>Starts the writer, waits for its <paramref name="killAfter"/>-th change, then SIGKILLs it a few ms later.</summary>
    private static int RunAndKill(string database, int round, int killAfter, int delayMilliseconds)
    {
        var writer = Path.Combine(AppContext.BaseDirectory, "CxrPacsAgent.Retrieval.CrashWriter.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { writer, database, round.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            var deadline = Stopwatch.StartNew();
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (line == $"op {killAfter}")
                {
                    Thread.Sleep(delayMilliseconds);
                    process.Kill(); // SIGKILL on Linux: no handler, no flush, no finally
                    break;
                }
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), "the writer made no progress");
            }
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "the killed writer did not exit");
            Assert.False(process.ExitCode == 0, $"the writer stopped by itself: {errors.Result}");
            return process.ExitCode;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
