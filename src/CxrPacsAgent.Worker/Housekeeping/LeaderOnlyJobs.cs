using Quartz;

namespace CxrPacsAgent.Worker.Housekeeping;

/// <summary>
/// Vetoes the site-wide jobs (spool clean-up, daily statistics) on every agent but the <see cref="HousekeepingLeader"/>.
/// The outbox sender runs on every agent (its items are claimed one agent at a time) and the index snapshot too (each
/// agent snapshots its own in-memory index).
/// </summary>
public sealed class LeaderOnlyJobs(HousekeepingLeader leader) : ITriggerListener
{
    private static readonly HashSet<JobKey> SiteWide = [SpoolCleanupJob.Key, DailyStatisticsJob.Key];

    public string Name => "leader-only-jobs";

    public async ValueTask<bool> VetoJobExecution(ITrigger trigger, IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return SiteWide.Contains(context.JobDetail.Key) && !await leader.IsLeaderAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask TriggerFired(ITrigger trigger, IJobExecutionContext context, CancellationToken cancellationToken = default) => default;

    public ValueTask TriggerMisfired(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default) => default;

    public ValueTask TriggerComplete(ITrigger trigger, IJobExecutionContext context, SchedulerInstruction triggerInstructionCode,
        CancellationToken cancellationToken = default) => default;
}
