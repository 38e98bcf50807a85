namespace CxrPacsAgent.Worker.State;

/// <summary>What happened on one day (local), as the statistics job records it.</summary>
public sealed record DailyStatistics(
    DateOnly Day,
    long Received,
    long Completed,
    long Failed,
    long Undelivered,
    IReadOnlyDictionary<string, long> SkippedByReason,
    long Delivered,
    long DeadLetters)
{
    public long Skipped => SkippedByReason.Values.Sum();
}
