namespace CxrPacsAgent.Worker.State;

/// <summary>
/// Jobs, as intake and the pipeline record them. Every call is one transaction, durable when it returns. Records for a
/// <see cref="JobRef"/> whose version is no longer current return false and change nothing.
/// </summary>
public interface IJobStore
{
    /// <summary>
    /// Records an instance already committed to the spool: a new job, a duplicate (same UID and bytes: nothing to do),
    /// or a new version (same UID, other bytes: processed again, its pending deliveries withdrawn).
    /// </summary>
    Task<IntakeOutcome> RecordReceivedAsync(SpooledInstance instance, CancellationToken cancellationToken = default);

    /// <summary>Jobs the pipeline has work for (received, scored, indexed), oldest first: what a restart resumes.</summary>
    Task<IReadOnlyList<JobRecord>> UnfinishedAsync(CancellationToken cancellationToken = default);

    Task<JobRecord?> GetAsync(long jobId, CancellationToken cancellationToken = default);

    Task<JobRecord?> FindAsync(string sopInstanceUid, CancellationToken cancellationToken = default);

    /// <summary>Final: not processed, with the reason.</summary>
    Task<bool> RecordSkippedAsync(JobRef job, string reason, string detail, CancellationToken cancellationToken = default);

    /// <summary>Final: processing failed for good, with the reason.</summary>
    Task<bool> RecordFailedAsync(JobRef job, string reason, string detail, CancellationToken cancellationToken = default);

    Task<bool> RecordScoredAsync(JobRef job, ScoreRecord score, CancellationToken cancellationToken = default);

    Task<bool> RecordIndexedAsync(JobRef job, string similarStudies, CancellationToken cancellationToken = default);

    /// <summary>
    /// Results written: queues each document for each destination in the same transaction. With nothing to send the
    /// job is complete at once.
    /// </summary>
    Task<bool> RecordReportedAsync(JobRef job, IReadOnlyList<OutboxDocument> documents, IReadOnlyList<string> destinations,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Spool files of final jobs not yet removed: completed or skipped ones that reached that state before
    /// <paramref name="doneBefore"/>, failed or undelivered ones before <paramref name="failedBefore"/>.
    /// </summary>
    Task<IReadOnlyList<SpoolRelease>> ReleasableSpoolFilesAsync(DateTimeOffset doneBefore, DateTimeOffset failedBefore, int max,
        CancellationToken cancellationToken = default);

    /// <summary>The job's spool file was removed (unless a newer copy has since replaced it).</summary>
    Task RecordSpoolReleasedAsync(SpoolRelease release, CancellationToken cancellationToken = default);

    /// <summary>Every spool file a job still refers to (the clean-up removes other files: left by a crash before recording).</summary>
    Task<IReadOnlySet<string>> ReferencedSpoolFilesAsync(CancellationToken cancellationToken = default);
}
