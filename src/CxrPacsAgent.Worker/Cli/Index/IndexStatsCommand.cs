using System.CommandLine;
using System.Globalization;
using CxrPacsAgent.Retrieval.Index;

namespace CxrPacsAgent.Worker.Cli.Index;

/// <summary>
/// <c>index stats [--verify]</c>: per model, the entries, labelled entries, bytes of stored images and snapshot files;
/// with --verify, each index opened and compared with its rows entry by entry (exit code 1 when they disagree).
/// </summary>
internal static class IndexStatsCommand
{
    public static Command Create()
    {
        var verify = new Option<bool>("--verify") { Description = "open each index and compare it with its rows" };
        var library = new LibraryLocation.Options();
        var command = new Command("stats", "What the library holds, per model") { verify };
        library.AddTo(command);
        command.SetAction((r, cancellationToken) => IndexErrors.GuardAsync(() => RunAsync(library.Resolve(r), r.GetValue(verify), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(LibraryLocation library, bool verify, CancellationToken cancellationToken)
    {
        var database = library.DatabasePath is { } path ? new FileInfo(path) : null;
        if (database is { Exists: false })
        {
            Console.Error.WriteLine($"error: {database.FullName} does not exist");
            return IndexErrors.CannotDo;
        }
        using var store = await library.OpenAsync(cancellationToken).ConfigureAwait(false);
        var models = await store.SummarizeAsync(cancellationToken).ConfigureAwait(false);
        var wal = database is null ? null : new FileInfo(database.FullName + "-wal");
        Console.WriteLine(database is null ? $"{library.Description}: {models.Count} model(s)"
            : $"{database.FullName}: {Megabytes(database.Length + (wal!.Exists ? wal.Length : 0))} (with its WAL), {models.Count} model(s)");
        var consistent = true;
        foreach (var summary in models)
        {
            var identity = summary.Model.Identity;
            var perEntry = summary.Entries == 0 ? 0 : (summary.ReembeddingImageBytes + summary.ThumbnailBytes) / summary.Entries;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{identity}: {summary.Entries} entries ({summary.Labelled} with reference labels), {summary.Model.Dimensions}-dimensional; stored copies {Megabytes(summary.ReembeddingImageBytes)}, thumbnails {Megabytes(summary.ThumbnailBytes)} ({perEntry / 1024.0:F1} KiB per entry)"));
            var snapshots = store.SnapshotFolder is { } folder && Directory.Exists(folder)
                ? Directory.GetFiles(folder, identity.FileStem + ".*").Where(f => f.EndsWith(".snapshot", StringComparison.Ordinal) || f.EndsWith(".usearch", StringComparison.Ordinal)).ToArray()
                : [];
            Console.WriteLine(snapshots.Length == 0 ? "  snapshot: none" : string.Create(CultureInfo.InvariantCulture,
                $"  snapshot: {string.Join(", ", snapshots.Select(Path.GetFileName))} ({Megabytes(snapshots.Sum(f => new FileInfo(f).Length))}, {File.GetLastWriteTimeUtc(snapshots[0]):u})"));
            if (verify)
            {
                await using var index = await EmbeddingIndex.OpenAsync(store, identity, summary.Model.Dimensions, cancellationToken: cancellationToken).ConfigureAwait(false);
                var stats = index.Statistics();
                var report = await index.VerifyAsync(cancellationToken).ConfigureAwait(false);
                consistent &= report.Consistent;
                Console.WriteLine($"  index: {stats.Mode}, opened from {stats.Origin.ToString().ToLowerInvariant()}{(stats.SnapshotProblem is { } p ? $" ({p})" : "")}, {Megabytes(stats.MemoryBytes)} in memory{(stats.Pending > 0 ? $", {stats.Pending} entries still to be linked into the graph (searched exactly meanwhile)" : "")}");
                Console.WriteLine(report.Consistent ? $"  verified: {report.Rows} rows, every one indexed with its vector" : $"  NOT CONSISTENT: {report}");
            }
        }
        return consistent ? 0 : 1;
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1_048_576.0:F1} MiB");
}
