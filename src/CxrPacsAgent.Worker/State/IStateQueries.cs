namespace CxrPacsAgent.Worker.State;

/// <summary>Read-only views for /status, the statistics job and administrators.</summary>
public interface IStateQueries
{
    Task<StateCounts> CountsAsync(CancellationToken cancellationToken = default);

    /// <summary>The most recently changed jobs, newest first.</summary>
    Task<IReadOnlyList<JobRecord>> RecentAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>What happened between <paramref name="from"/> and <paramref name="to"/> (one local day).</summary>
    Task<DailyStatistics> StatisticsAsync(DateOnly day, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Keeps a day's statistics (replacing an earlier record of the same day).</summary>
    Task RecordDailyStatisticsAsync(DailyStatistics statistics, CancellationToken cancellationToken = default);

    Task<DailyStatistics?> DailyStatisticsAsync(DateOnly day, CancellationToken cancellationToken = default);
}
