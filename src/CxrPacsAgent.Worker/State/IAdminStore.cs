namespace CxrPacsAgent.Worker.State;

/// <summary>
/// What the admin page needs from the store beyond <see cref="IStateQueries"/>: a job's deliveries (its timeline), the
/// dead letters and failed jobs and the two actions on each, thumbnails, hourly throughput, the audit log, and the
/// sign-in lockout's failures (shared by every agent of a site on PostgreSQL). Every call is one transaction.
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

    /// <summary>The thumbnail recorded with the current version's score; null when there is none.</summary>
    Task<byte[]?> ThumbnailAsync(long jobId, CancellationToken cancellationToken = default);

    /// <summary>Jobs in <see cref="JobState.Failed"/> that nobody cancelled, the most recently failed first.</summary>
    Task<IReadOnlyList<JobRecord>> FailedJobsAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// A failed job, not cancelled, whose spool copy is kept, goes back to the pipeline where its records leave it
    /// (<see cref="JobState.Received"/>, or <see cref="JobState.Scored"/> / <see cref="JobState.Indexed"/> when it failed
    /// later), its reason cleared; on a shared store claimed by this agent. Null, changing nothing, for any other job.
    /// </summary>
    Task<JobRef?> RequeueFailedJobAsync(long jobId, CancellationToken cancellationToken = default);

    /// <summary>A failed job leaves the failures list for good (it stays <see cref="JobState.Failed"/>). False for any other job.</summary>
    Task<bool> CancelFailedJobAsync(long jobId, CancellationToken cancellationToken = default);

    Task RecordAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The audit log, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> AuditAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>The latest time until which any of <paramref name="subjects"/> is locked out (possibly past); null when none ever was.</summary>
    Task<DateTimeOffset?> SignInLockedUntilAsync(IReadOnlyList<string> subjects, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts a failed sign-in against each subject and locks the subjects it brings to the limit; true when it locked one.
    /// Atomic per subject: failures recorded at once by several agents all count. Failures no longer counted, and
    /// subjects neither locked nor failing, are forgotten; beyond <see cref="SignInFailure.MaxSubjects"/> every subject
    /// not locked is.
    /// </summary>
    Task<bool> RecordSignInFailureAsync(SignInFailure failure, CancellationToken cancellationToken = default);

    /// <summary>Forgets the subjects' failures and the lockouts of theirs that ended by <paramref name="now"/> (a successful sign-in).</summary>
    Task ClearSignInFailuresAsync(IReadOnlyList<string> subjects, DateTimeOffset now, CancellationToken cancellationToken = default);
}
