namespace CxrPacsAgent.Worker.State.Sql;

/// <summary>Processing failures as the admin page's Failures list has them: listed, retried, cancelled.</summary>
public abstract partial class SqlStateStore
{
    /// <summary>Failed, not cancelled by an administrator.</summary>
    private static readonly string Listed = $"state = {(int)JobState.Failed} AND failure_cancelled_at IS NULL";

    /// <summary>A retried job's state: after the last stage it recorded (a score, similar studies), so no work is done twice.</summary>
    private static readonly string ResumeState =
        $"CASE WHEN similar_studies IS NOT NULL THEN {(int)JobState.Indexed} WHEN score IS NOT NULL THEN {(int)JobState.Scored} ELSE {(int)JobState.Received} END";

    /// <summary>The UPDATE that retries a listed job whose spool copy is kept, before its WHERE (providers add their claim to the SET list).</summary>
    private protected static readonly string RetrySet =
        $"UPDATE jobs SET state = {ResumeState}, reason = NULL, detail = NULL, updated_at = @now";

    /// <inheritdoc cref="RetrySet"/>
    private protected static readonly string RetryWhere = $"WHERE id = @id AND {Listed} AND NOT spool_released";

    public async Task<IReadOnlyList<JobRecord>> FailedJobsAsync(int max, CancellationToken cancellationToken = default) =>
        await JobsAsync($"WHERE {Listed} ORDER BY updated_at DESC, id DESC LIMIT @p", cancellationToken, max).ConfigureAwait(false);

    public virtual async Task<JobRef?> RequeueFailedJobAsync(long jobId, CancellationToken cancellationToken = default) =>
        (await ListAsync($"{RetrySet} {RetryWhere} RETURNING id, version", r => (JobRef?)new JobRef(r.GetInt64(0), r.GetInt32(1)),
            cancellationToken, ("now", Now), ("id", jobId)).ConfigureAwait(false)).SingleOrDefault();

    public async Task<bool> CancelFailedJobAsync(long jobId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null, $"UPDATE jobs SET failure_cancelled_at = @now WHERE id = @id AND {Listed}",
            cancellationToken, ("now", Now), ("id", jobId)).ConfigureAwait(false) == 1;
    }
}
