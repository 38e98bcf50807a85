namespace CxrPacsAgent.Worker.State.Sql;

/// <summary>Which spool and outbox files may go, and the records that they went; when the next delivery is due.</summary>
public abstract partial class SqlStateStore
{
    public async Task<IReadOnlyList<SpoolRelease>> ReleasableSpoolFilesAsync(DateTimeOffset doneBefore, DateTimeOffset failedBefore, int max,
        CancellationToken cancellationToken = default) =>
        await ListAsync($"""
            SELECT id, spool_file FROM jobs
            WHERE NOT spool_released AND (
                (state IN ({(int)JobState.Completed}, {(int)JobState.Skipped}) AND updated_at < @done)
                OR (state IN ({(int)JobState.Failed}, {(int)JobState.Undelivered}) AND updated_at < @failed))
            ORDER BY id LIMIT @max
            """, r => new SpoolRelease(r.GetInt64(0), r.GetString(1)), cancellationToken,
            ("done", doneBefore.ToUnixTimeMilliseconds()), ("failed", failedBefore.ToUnixTimeMilliseconds()), ("max", max)).ConfigureAwait(false);

    public async Task RecordSpoolReleasedAsync(SpoolRelease release, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "UPDATE jobs SET spool_released = true WHERE id = @id AND spool_file = @file",
            cancellationToken, ("id", release.JobId), ("file", release.SpoolFile)).ConfigureAwait(false);
    }

    public async Task<IReadOnlySet<string>> ReferencedSpoolFilesAsync(CancellationToken cancellationToken = default) =>
        (await ListAsync("SELECT spool_file FROM jobs WHERE NOT spool_released", r => r.GetString(0), cancellationToken).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Files whose every item is settled and that are not yet released (several items may share one file).</summary>
    public async Task<IReadOnlyList<string>> ReleasableOutboxFilesAsync(int max, CancellationToken cancellationToken = default) =>
        await ListAsync($"""
            SELECT file FROM outbox GROUP BY file
            HAVING SUM(CASE WHEN state = {Pending} THEN 1 ELSE 0 END) = 0 AND SUM(CASE WHEN file_released THEN 0 ELSE 1 END) > 0
            LIMIT @max
            """, r => r.GetString(0), cancellationToken, ("max", max)).ConfigureAwait(false);

    public async Task RecordOutboxFileReleasedAsync(string file, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, $"UPDATE outbox SET file_released = true WHERE file = @file AND state <> {Pending}",
            cancellationToken, ("file", file)).ConfigureAwait(false);
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var next = await ScalarAsync(connection, null, $"SELECT MIN(next_attempt_at) FROM outbox WHERE state = {Pending}",
            cancellationToken).ConfigureAwait(false);
        return next is { } ms ? Time(ms) : null;
    }
}
