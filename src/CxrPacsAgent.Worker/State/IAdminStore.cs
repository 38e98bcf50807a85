namespace CxrPacsAgent.Worker.State;

/// <summary>
/// What the admin page needs from the store beyond <see cref="IStateQueries"/>: a job's deliveries (its timeline), the
/// dead letters and the two actions on them, hourly throughput, and the audit log. Every call is one transaction.
/// </summary>
public interface IAdminStore
{
    /// <summary>The job's outbox items, every version's, oldest first.</summary>
    Task<IReadOnlyList<DeliveryRecord>> DeliveriesAsync(long jobId, CancellationToken cancellationToken = default);

    Task<DeliveryRecord?> DeliveryAsync(long itemId, CancellationToken cancellationToken = default);

    /// <summary>Items in <see cref="OutboxItemState.DeadLetter"/>, the most recently given up first.</summary>
    Task<IReadOnlyList<DeliveryRecord>> DeadLettersAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// A dead letter of its job's current version goes back to <see cref="OutboxItemState.Pending"/>, due now, its age
    /// (for <c>Outbox:MaxAge</c>) counted from now, its file no longer marked released; an undelivered job is reported
    /// again. False, changing nothing, for any other item.
    /// </summary>
    Task<bool> RequeueDeadLetterAsync(long itemId, CancellationToken cancellationToken = default);

    /// <summary>A dead letter becomes <see cref="OutboxItemState.Cancelled"/>: no longer listed, never sent. False for any other item.</summary>
    Task<bool> CancelDeadLetterAsync(long itemId, CancellationToken cancellationToken = default);

    /// <summary>
    /// <paramref name="count"/> consecutive buckets of <paramref name="bucket"/> from <paramref name="from"/>: instances
    /// received, scored and delivered (outbox items) in each.
    /// </summary>
    Task<IReadOnlyList<ThroughputBucket>> ThroughputAsync(DateTimeOffset from, TimeSpan bucket, int count,
        CancellationToken cancellationToken = default);

    Task RecordAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The audit log, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> AuditAsync(int max, CancellationToken cancellationToken = default);
}
