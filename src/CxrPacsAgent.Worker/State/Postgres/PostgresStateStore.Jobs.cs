using CxrPacsAgent.Worker.State.Sql;

namespace CxrPacsAgent.Worker.State.Postgres;

/// <summary>Jobs: intake (which claims what it receives) and the pipeline's fenced records.</summary>
public sealed partial class PostgresStateStore
{
    public async Task<IntakeOutcome> RecordReceivedAsync(SpooledInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var parameters = Parameters(instance, Now);
        // Another agent receiving the same instance at once waits here for that one's commit, then finds its row.
        if (await ScalarAsync(connection, transaction, $"""
            INSERT INTO jobs (sop_instance_uid, sop_class_uid, transfer_syntax_uid, spool_file, content_hash, length,
                calling_ae, version, state, times_received, received_at, updated_at, accession_key, claimed_by, fence, lease_until)
            VALUES (@uid, @class, @syntax, @file, @hash, @length, @calling, 1, 0, 1, @now, @now, @accession, @agent, 1,
                now() + make_interval(secs => @lease))
            ON CONFLICT (sop_instance_uid) DO NOTHING
            RETURNING id
            """, cancellationToken, parameters).ConfigureAwait(false) is { } newId)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            jobClaims[newId] = 1;
            return new IntakeOutcome(IntakeKind.New, new JobRef(newId, 1));
        }
        long id;
        int version;
        string hash, spoolFile;
        await using (var find = Command(connection, transaction,
            "SELECT id, version, content_hash, spool_file FROM jobs WHERE sop_instance_uid = @uid FOR UPDATE", ("uid", instance.SopInstanceUid)))
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            (id, version, hash, spoolFile) = (reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3));
        }
        if (string.Equals(hash, instance.ContentHash, StringComparison.Ordinal))
        {
            await ExecuteAsync(connection, transaction, "UPDATE jobs SET times_received = times_received + 1 WHERE id = @id",
                cancellationToken, ("id", id)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new IntakeOutcome(IntakeKind.Duplicate, new JobRef(id, version));
        }
        // A new version: claimed afresh by this agent, so whoever worked on the older one can record nothing more.
        var fence = await ScalarAsync(connection, transaction, $"""
            UPDATE jobs SET version = version + 1, sop_class_uid = @class, transfer_syntax_uid = @syntax, spool_file = @file,
                spool_released = false, content_hash = @hash, length = @length, calling_ae = @calling, state = 0, reason = NULL,
                detail = NULL, times_received = times_received + 1, updated_at = @now, score = NULL, label = NULL,
                threshold = NULL, model = NULL, model_version = NULL, embedding = NULL, lossy_source = NULL, similar_studies = NULL,
                calibrated = NULL, ood_distance = NULL, ood_threshold = NULL, scored_at = NULL, reported_at = NULL,
                accession_key = @accession, failure_cancelled_at = NULL, fence = fence + 1, {NewLease}
            WHERE sop_instance_uid = @uid
            RETURNING fence
            """, cancellationToken, parameters).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction,
            $"UPDATE outbox SET state = {(int)OutboxItemState.Superseded}, settled_at = @now WHERE job_id = @id AND state = {(int)OutboxItemState.Pending}",
            cancellationToken, ("id", id), ("now", Now)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        jobClaims[id] = fence!.Value;
        return new IntakeOutcome(IntakeKind.Replaced, new JobRef(id, version + 1),
            string.Equals(spoolFile, instance.SpoolFile, StringComparison.Ordinal) ? null : spoolFile);
    }

    /// <summary>
    /// On a shared store the jobs the pipeline has work for are this agent's: it first claims those nobody holds (or
    /// whose holder's lease ran out), then lists every unfinished job it holds.
    /// </summary>
    public async Task<IReadOnlyList<JobRecord>> UnfinishedAsync(CancellationToken cancellationToken = default)
    {
        await ClaimAsync(10_000, cancellationToken).ConfigureAwait(false);
        return await JobsAsync($"WHERE state < {(int)JobState.Reported} AND claimed_by = @p ORDER BY id", cancellationToken, AgentId)
            .ConfigureAwait(false);
    }

    public Task<bool> RecordSkippedAsync(JobRef job, string reason, string detail, CancellationToken cancellationToken = default) =>
        RecordFinalAsync(job, JobState.Skipped, reason, detail, cancellationToken);

    public Task<bool> RecordFailedAsync(JobRef job, string reason, string detail, CancellationToken cancellationToken = default) =>
        RecordFinalAsync(job, JobState.Failed, reason, detail, cancellationToken);

    private async Task<bool> RecordFinalAsync(JobRef job, JobState state, string reason, string detail, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var done = await ExecuteAsync(connection, null, $"""
            UPDATE jobs SET state = @state, reason = @reason, detail = @detail, updated_at = @now, {Released}
            WHERE id = @id AND version = @version AND state < {(int)JobState.Reported} AND {Held}
            """, cancellationToken, [("state", (int)state), ("reason", reason), ("detail", detail), ("now", Now), .. Fenced(job)])
            .ConfigureAwait(false) == 1;
        return await SettledAsync(connection, job, done, JobState.Reported, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RecordScoredAsync(JobRef job, ScoreRecord score, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(score);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var done = await ExecuteAsync(connection, transaction, $"""
            UPDATE jobs SET state = {(int)JobState.Scored}, score = @score, label = @label, threshold = @threshold, model = @model,
                model_version = @modelVersion, embedding = @embedding, lossy_source = @lossy, calibrated = @calibrated,
                ood_distance = @oodDistance, ood_threshold = @oodThreshold, updated_at = @now, scored_at = @now
            WHERE id = @id AND version = @version AND state < {(int)JobState.Scored} AND {Held}
            """, cancellationToken, [("score", score.Score), ("label", score.Label), ("threshold", score.Threshold),
            ("model", score.Model), ("modelVersion", score.ModelVersion), ("embedding", JobRows.ToBlob(score.Embedding)),
            ("lossy", score.LossySource), ("calibrated", score.Calibrated), ("oodDistance", score.OodDistance),
            ("oodThreshold", score.OodThreshold), ("now", Now), .. Fenced(job)]).ConfigureAwait(false) == 1;
        if (done)
        {
            await RecordThumbnailAsync(connection, transaction, job, score.Thumbnail, cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return await CheckedAsync(connection, job, done, JobState.Scored, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RecordIndexedAsync(JobRef job, string similarStudies, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var done = await ExecuteAsync(connection, null, $"""
            UPDATE jobs SET state = {(int)JobState.Indexed}, similar_studies = @similar, updated_at = @now
            WHERE id = @id AND version = @version AND state = {(int)JobState.Scored} AND {Held}
            """, cancellationToken, [("similar", similarStudies), ("now", Now), .. Fenced(job)]).ConfigureAwait(false) == 1;
        return await CheckedAsync(connection, job, done, JobState.Indexed, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RecordReportedAsync(JobRef job, IReadOnlyList<OutboxDocument> documents, IReadOnlyList<string> destinations,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(destinations);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var now = Now;
        var toSend = documents.Count > 0 && destinations.Count > 0;
        var state = toSend ? JobState.Reported : JobState.Completed;
        var updated = await ExecuteAsync(connection, transaction, $"""
            UPDATE jobs SET state = @state, updated_at = @now, reported_at = @now, {Released}
            WHERE id = @id AND version = @version AND state < {(int)JobState.Reported} AND {Held}
            """, cancellationToken, [("state", (int)state), ("now", now), .. Fenced(job)]).ConfigureAwait(false);
        if (updated != 1)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return await CheckedAsync(connection, job, false, JobState.Reported, cancellationToken).ConfigureAwait(false);
        }
        foreach (var destination in toSend ? destinations : [])
        {
            foreach (var document in documents)
            {
                await ExecuteAsync(connection, transaction, """
                    INSERT INTO outbox (job_id, job_version, destination, file, sop_instance_uid, sop_class_uid, state, created_at, next_attempt_at)
                    VALUES (@job, @version, @destination, @file, @uid, @class, 0, @now, @now)
                    """, cancellationToken, ("job", job.Id), ("version", job.Version), ("destination", destination),
                    ("file", document.File), ("uid", document.SopInstanceUid), ("class", document.SopClassUid), ("now", now))
                    .ConfigureAwait(false);
            }
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        jobClaims.TryRemove(job.Id, out _);
        return true;
    }
}
