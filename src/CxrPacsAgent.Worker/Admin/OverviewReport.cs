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
    IOptions<StorageOptions> storage, IOptions<StateOptions> state, TimeProvider time)
{
    /// <summary>An agent's state on the overview.</summary>
    public const string Alive = "alive";

    /// <inheritdoc cref="Alive"/>
    public const string Stale = "stale";

    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public async Task<JsonObject> BuildAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var report = await status.BuildAsync(cancellationToken).ConfigureAwait(false);
        report.Remove("recent");
        report["agent"]!["host"] = Environment.MachineName;
        report["agent"]!["heartbeat"] = now;
        report["agents"] = Agents(report, now);

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

    /// <summary>
    /// Every agent of the site: the shared store's heartbeat rows (alive while the last heartbeat is younger than
    /// <c>State:Lease</c>, stale after: its claims are free for the others to take), or this agent alone on SQLite.
    /// </summary>
    private JsonArray Agents(JsonObject report, DateTimeOffset now)
    {
        var self = report["agent"]!;
        var model = report["model"] is { } m ? $"{(string?)m["name"]} {(string?)m["version"]}" : null;
        if (report["agents"] is not JsonArray shared)
        {
            return [new JsonObject
            {
                ["agentId"] = Environment.MachineName, ["self"] = true, ["startedAt"] = self["startedAt"]!.DeepClone(), ["lastHeartbeat"] = now,
                ["state"] = Alive, ["jobClaims"] = null, ["outboxClaims"] = null, ["model"] = model,
            }];
        }
        var lease = state.Value.Lease;
        return new JsonArray([.. shared.Select(node =>
        {
            var agent = node!.DeepClone().AsObject();
            var heartbeat = agent["lastHeartbeat"]!.GetValue<DateTimeOffset>();
            agent["state"] = now - heartbeat <= lease ? Alive : Stale;
            agent["model"] ??= (bool)agent["self"]! ? model : null;
            return (JsonNode?)agent;
        })]);
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
