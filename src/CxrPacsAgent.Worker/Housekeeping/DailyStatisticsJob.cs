using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Logging;
using Quartz;

namespace CxrPacsAgent.Worker.Housekeeping;

/// <summary>
/// Once a day (<c>Housekeeping:DailyStatisticsAt</c>, local time) records the previous local day's counts in the state
/// store and logs them: received, completed, skipped by reason, failed, delivered, dead letters.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class DailyStatisticsJob(IStateQueries queries, TimeProvider time, ILogger<DailyStatisticsJob> logger) : IJob
{
    public static readonly JobKey Key = new("daily-statistics", AgentJobGroup.Name);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await RecordAsync(DateOnly.FromDateTime(time.GetLocalNow().DateTime).AddDays(-1), cancellationToken).ConfigureAwait(false);

    public async Task<DailyStatistics> RecordAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var zone = time.LocalTimeZone;
        DateTimeOffset Midnight(DateOnly d)
        {
            var local = d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }
        var statistics = await queries.StatisticsAsync(day, Midnight(day), Midnight(day.AddDays(1)), cancellationToken).ConfigureAwait(false);
        await queries.RecordDailyStatisticsAsync(statistics, cancellationToken).ConfigureAwait(false);
        LogDay(day, statistics.Received, statistics.Completed, statistics.Skipped, statistics.Failed, statistics.Delivered, statistics.DeadLetters,
            string.Join(", ", statistics.SkippedByReason.Select(r => $"{r.Key} {r.Value}")));
        return statistics;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Statistics for {Day}: {Received} received, {Completed} completed, {Skipped} skipped, {Failed} failed, {Delivered} documents delivered, {DeadLetters} dead letters; skipped by reason: {SkippedByReason}")]
    private partial void LogDay(DateOnly day, long received, long completed, long skipped, long failed, long delivered, long deadLetters, string skippedByReason);
}
