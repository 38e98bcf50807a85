namespace CxrPacsAgent.Worker.State;

/// <summary>
/// The outbox: one item per result document and destination, until delivered or given up. Settling a job's last
/// item settles the job (completed, or undelivered when any item went to the dead letters).
/// </summary>
public interface IOutboxStore
{
    /// <summary>Pending items due at <paramref name="now"/>, the longest-waiting first.</summary>
    Task<IReadOnlyList<OutboxItem>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>When the next pending item falls due; null when nothing is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default);

    Task RecordDeliveredAsync(long itemId, CancellationToken cancellationToken = default);

    /// <summary>A failed attempt that may succeed later: counted, and due again at <paramref name="nextAttemptAt"/>.</summary>
    Task RecordRetryAsync(long itemId, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default);

    /// <summary>Given up: refused for good, or too old.</summary>
    Task RecordDeadLetterAsync(long itemId, string reason, CancellationToken cancellationToken = default);

    /// <summary>Outbox files whose items are all settled and that are still on disk.</summary>
    Task<IReadOnlyList<string>> ReleasableOutboxFilesAsync(int max, CancellationToken cancellationToken = default);

    Task RecordOutboxFileReleasedAsync(string file, CancellationToken cancellationToken = default);
}
