using System.Text.Json.Nodes;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Admin;

/// <summary>
/// The overview page's JSON: /status (agent, listener, model, queues, jobs, outbox) without its recent results, plus
/// the last 24 hours' counters, hourly throughput over them, and the space left under <c>Storage:Root</c>.
/// </summary>
public sealed class OverviewReport(StatusReport status, IStateQueries queries, IAdminStore admin, AgentPaths paths,
    IOptions<StorageOptions> storage, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public async Task<JsonObject> BuildAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var report = await status.BuildAsync(cancellationToken).ConfigureAwait(false);
        report.Remove("recent");
        report["agent"]!["host"] = Environment.MachineName;
        report["agent"]!["heartbeat"] = now;

        var day = await queries.StatisticsAsync(DateOnly.FromDateTime(now.UtcDateTime), now - Window, now, cancellationToken)
            .ConfigureAwait(false);
        report["last24h"] = new JsonObject
        {
            ["received"] = day.Received,
            ["skipped"] = day.Skipped,
            ["skippedByReason"] = new JsonObject([.. day.SkippedByReason.OrderBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => KeyValuePair.Create(r.Key.Length == 0 ? "unknown" : r.Key, (JsonNode?)r.Value))]),
            ["completed"] = day.Completed,
            ["failed"] = day.Failed,
            ["undelivered"] = day.Undelivered,
            ["delivered"] = day.Delivered,
            ["deadLetters"] = day.DeadLetters,
        };

        // Whole hours, the current one last.
        var hourStart = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var buckets = await admin.ThroughputAsync(hourStart - Window + TimeSpan.FromHours(1), TimeSpan.FromHours(1), 24, cancellationToken)
            .ConfigureAwait(false);
        report["throughput"] = new JsonArray([.. buckets.Select(b => (JsonNode?)new JsonObject
        {
            ["start"] = b.Start,
            ["received"] = b.Received,
            ["scored"] = b.Scored,
            ["delivered"] = b.Delivered,
        })]);

        var disk = Disk(paths.Root);
        report["disk"] = new JsonObject
        {
            ["root"] = paths.Root,
            ["freeBytes"] = disk.Free,
            ["totalBytes"] = disk.Total,
            ["minimumFreeBytes"] = storage.Value.MinimumFreeSpaceMb * 1024L * 1024L,
        };
        return report;
    }

    private static (long Free, long Total) Disk(string folder)
    {
        try
        {
            var drive = new DriveInfo(folder);
            return (drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return (0, 0);
        }
    }
}
