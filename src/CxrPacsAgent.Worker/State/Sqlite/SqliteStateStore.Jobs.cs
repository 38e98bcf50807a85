using CxrPacsAgent.Worker.State.Sql;

namespace CxrPacsAgent.Worker.State.Sqlite;

/// <summary>Jobs: intake and the pipeline's records.</summary>
public sealed partial class SqliteStateStore
{
    public async Task<IntakeOutcome> RecordReceivedAsync(SpooledInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction();
        var now = Now;
        long id;
        int version;
        string hash, spoolFile;
        await using (var find = Command(connection, transaction,
            "SELECT id, version, content_hash, spool_file FROM jobs WHERE sop_instance_uid = @uid", ("uid", instance.SopInstanceUid)))
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                reader.Close();
                var newId = await ScalarAsync(connection, transaction, """
                    INSERT INTO jobs (sop_instance_uid, sop_class_uid, transfer_syntax_uid, spool_file, content_hash, length,
                        calling_ae, version, state, times_received, received_at, updated_at, accession_key)
                    VALUES (@uid, @class, @syntax, @file, @hash, @length, @calling, 1, 0, 1, @now, @now, @accession)
                    RETURNING id
                    """, cancellationToken, Parameters(instance, now)).ConfigureAwait(false);
                transaction.Commit();
                return new IntakeOutcome(IntakeKind.New, new JobRef(newId!.Value, 1));
            }
            id = reader.GetInt64(0);
            version = reader.GetInt32(1);
            hash = reader.GetString(2);
            spoolFile = reader.GetString(3);
        }
        if (string.Equals(hash, instance.ContentHash, StringComparison.Ordinal))
        {
            await ExecuteAsync(connection, transaction, "UPDATE jobs SET times_received = times_received + 1 WHERE id = @id",
                cancellationToken, ("id", id)).ConfigureAwait(false);
            transaction.Commit();
            return new IntakeOutcome(IntakeKind.Duplicate, new JobRef(id, version));
        }
        await ExecuteAsync(connection, transaction, """
            UPDATE jobs SET version = version + 1, sop_class_uid = @class, transfer_syntax_uid = @syntax, spool_file = @file,
                spool_released = 0, content_hash = @hash, length = @length, calling_ae = @calling, state = 0, reason = NULL,
                detail = NULL, times_received = times_received + 1, updated_at = @now, score = NULL, label = NULL,
                threshold = NULL, model = NULL, model_version = NULL, embedding = NULL, lossy_source = NULL, similar_studies = NULL,
                calibrated = NULL, ood_distance = NULL, ood_threshold = NULL,
                scored_at = NULL, reported_at = NULL, accession_key = @accession, failure_cancelled_at = NULL
            WHERE sop_instance_uid = @uid
            """, cancellationToken, Parameters(instance, now)).ConfigureAwait(false);
        // Results of the older copy that are still waiting are withdrawn: the new copy's results replace them.
        await ExecuteAsync(connection, transaction,
            $"UPDATE outbox SET state = {(int)OutboxItemState.Superseded}, settled_at = @now WHERE job_id = @id AND state = {(int)OutboxItemState.Pending}",
            cancellationToken, ("id", id), ("now", now)).ConfigureAwait(false);
        transaction.Commit();
        return new IntakeOutcome(IntakeKind.Replaced, new JobRef(id, version + 1),
            string.Equals(spoolFile, instance.SpoolFile, StringComparison.Ordinal) ? null : spoolFile);
    }

    public async Task<IReadOnlyList<JobRecord>> UnfinishedAsync(CancellationToken cancellationToken = default) =>
        await JobsAsync($"WHERE state < {(int)JobState.Reported} ORDER BY id", cancellationToken).ConfigureAwait(false);

    public Task<bool> RecordSkippedAsync(JobRef job, string reason, string detail, CancellationToken cancellationToken = default) =>
        RecordFinalAsync(job, JobState.Skipped, reason, detail, cancellationToken);

    public Task<bool> RecordFailedAsync(JobRef job, string reason, string detail, CancellationToken cancellationToken = default) =>
        RecordFinalAsync(job, JobState.Failed, reason, detail, cancellationToken);

    private async Task<bool> RecordFinalAsync(JobRef job, JobState state, string reason, string detail, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null, $"""
            UPDATE jobs SET state = @state, reason = @reason, detail = @detail, updated_at = @now
            WHERE id = @id AND version = @version AND state < {(int)JobState.Reported}
            """, cancellationToken, ("state", (int)state), ("reason", reason), ("detail", detail), ("now", Now),
            ("id", job.Id), ("version", job.Version)).ConfigureAwait(false) == 1;
    }

    public async Task<bool> RecordScoredAsync(JobRef job, ScoreRecord score, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(score);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction();
        var scored = await ExecuteAsync(connection, transaction, $"""
            UPDATE jobs SET state = {(int)JobState.Scored}, score = @score, label = @label, threshold = @threshold, model = @model,
                model_version = @modelVersion, embedding = @embedding, lossy_source = @lossy, calibrated = @calibrated,
                ood_distance = @oodDistance, ood_threshold = @oodThreshold, updated_at = @now, scored_at = @now
            WHERE id = @id AND version = @version AND state < {(int)JobState.Scored}
            """, cancellationToken, ("score", score.Score), ("label", score.Label), ("threshold", score.Threshold),
            ("model", score.Model), ("modelVersion", score.ModelVersion), ("embedding", JobRows.ToBlob(score.Embedding)),
            ("lossy", score.LossySource ? 1 : 0), ("calibrated", score.Calibrated ? 1 : 0), ("oodDistance", score.OodDistance),
            ("oodThreshold", score.OodThreshold), ("now", Now), ("id", job.Id), ("version", job.Version)).ConfigureAwait(false) == 1;
        if (scored)
        {
            await RecordThumbnailAsync(connection, transaction, job, score.Thumbnail, cancellationToken).ConfigureAwait(false);
        }
        transaction.Commit();
        return scored;
    }

    public async Task<bool> RecordIndexedAsync(JobRef job, string similarStudies, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null, $"""
            UPDATE jobs SET state = {(int)JobState.Indexed}, similar_studies = @similar, updated_at = @now
            WHERE id = @id AND version = @version AND state = {(int)JobState.Scored}
            """, cancellationToken, ("similar", similarStudies), ("now", Now), ("id", job.Id), ("version", job.Version))
            .ConfigureAwait(false) == 1;
    }

    public async Task<bool> RecordReportedAsync(JobRef job, IReadOnlyList<OutboxDocument> documents, IReadOnlyList<string> destinations,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(destinations);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction();
        var now = Now;
        var toSend = documents.Count > 0 && destinations.Count > 0;
        var state = toSend ? JobState.Reported : JobState.Completed;
        var updated = await ExecuteAsync(connection, transaction, $"""
            UPDATE jobs SET state = @state, updated_at = @now, reported_at = @now
            WHERE id = @id AND version = @version AND state < {(int)JobState.Reported}
            """, cancellationToken, ("state", (int)state), ("now", now), ("id", job.Id), ("version", job.Version)).ConfigureAwait(false);
        if (updated != 1)
        {
            return false;
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
        transaction.Commit();
        return true;
    }
}
