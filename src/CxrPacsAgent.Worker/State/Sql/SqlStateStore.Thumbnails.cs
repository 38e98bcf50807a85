using System.Data.Common;

namespace CxrPacsAgent.Worker.State.Sql;

/// <summary>
/// The admin page's thumbnail of each job's film: written with the score, one row per job, for the version it was
/// made from; a newer copy of the instance hides the older picture until its own is recorded.
/// </summary>
public abstract partial class SqlStateStore
{
    public async Task<byte[]?> ThumbnailAsync(long jobId, CancellationToken cancellationToken = default) =>
        (await ListAsync("SELECT t.png FROM job_thumbnails t JOIN jobs j ON j.id = t.job_id AND j.version = t.version WHERE t.job_id = @id",
            r => (byte[])r.GetValue(0), cancellationToken, ("id", jobId)).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>In the score's transaction: the job's thumbnail, replacing an older version's; nothing when there is none.</summary>
    private protected async Task RecordThumbnailAsync(DbConnection connection, DbTransaction transaction, JobRef job, byte[]? png,
        CancellationToken cancellationToken)
    {
        if (png is null)
        {
            return;
        }
        await ExecuteAsync(connection, transaction, """
            INSERT INTO job_thumbnails (job_id, version, png) VALUES (@id, @version, @png)
            ON CONFLICT (job_id) DO UPDATE SET version = excluded.version, png = excluded.png
            """, cancellationToken, ("id", job.Id), ("version", job.Version), ("png", png)).ConfigureAwait(false);
    }
}
