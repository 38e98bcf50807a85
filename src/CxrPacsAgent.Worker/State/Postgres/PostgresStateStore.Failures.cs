namespace CxrPacsAgent.Worker.State.Postgres;

/// <summary>A retried failure is claimed by this agent (a new fence), so it is queued here and no other agent takes it meanwhile.</summary>
public sealed partial class PostgresStateStore
{
    public override async Task<JobRef?> RequeueFailedJobAsync(long jobId, CancellationToken cancellationToken = default)
    {
        var claimed = await ListAsync($"{RetrySet}, fence = fence + 1, {NewLease} {RetryWhere} RETURNING id, version, fence",
            r => (Job: new JobRef(r.GetInt64(0), r.GetInt32(1)), Fence: r.GetInt64(2)), cancellationToken, ("now", Now), ("id", jobId))
            .ConfigureAwait(false);
        if (claimed is not [var (job, fence)])
        {
            return null;
        }
        jobClaims[job.Id] = fence;
        return job;
    }
}
