namespace CxrPacsAgent.Worker.Hosting;

/// <summary>The periodic jobs (section <c>Housekeeping</c>).</summary>
public sealed class HousekeepingOptions : IValidatedOptions
{
    public const string Section = "Housekeeping";

    /// <summary>How often received instances that are done with are removed from the spool.</summary>
    public TimeSpan SpoolCleanupInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a delivered or skipped instance stays in the spool.</summary>
    public TimeSpan KeepProcessedFor { get; set; } = TimeSpan.Zero;

    /// <summary>How long an instance whose processing or delivery failed stays in the spool, for investigation.</summary>
    public TimeSpan KeepFailedFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Time of day (local) at which the previous day's statistics are recorded and logged.</summary>
    public TimeSpan DailyStatisticsAt { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the similar-study index is written to disk (when retrieval is present).</summary>
    public TimeSpan IndexSnapshotInterval { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<string> Validate()
    {
        return new[]
        {
            OptionChecks.Positive("Housekeeping:SpoolCleanupInterval", SpoolCleanupInterval),
            OptionChecks.NotNegative("Housekeeping:KeepProcessedFor", KeepProcessedFor),
            OptionChecks.NotNegative("Housekeeping:KeepFailedFor", KeepFailedFor),
            DailyStatisticsAt >= TimeSpan.Zero && DailyStatisticsAt < TimeSpan.FromDays(1) ? null
                : $"Housekeeping:DailyStatisticsAt: {DailyStatisticsAt} is not a time of day (00:00:00-23:59:59)",
            OptionChecks.Positive("Housekeeping:IndexSnapshotInterval", IndexSnapshotInterval),
        }.OfType<string>();
    }
}
