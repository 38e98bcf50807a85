using System.Globalization;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Outbox;
using CxrPacsAgent.Worker.Pipeline.Stages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quartz;

namespace CxrPacsAgent.Worker.Housekeeping;

/// <summary>
/// The Quartz jobs and their triggers: the outbox sender (polled, woken by new results, and re-scheduled for each
/// back-off), spool clean-up, daily statistics, and the index snapshot when retrieval is installed. In memory: every
/// job's state is in the state store, so nothing about the schedule needs to survive a restart.
/// </summary>
public static class AgentJobs
{
    public static IServiceCollection AddAgentJobs(this IServiceCollection services)
    {
        services.AddQuartz(q =>
        {
            q.AddJob<OutboxSendJob>(j => j.WithIdentity(OutboxSendJob.Key).StoreDurably().DisallowConcurrentExecution());
            q.AddTrigger((sp, t) => t.ForJob(OutboxSendJob.Key).WithIdentity("outbox-poll", AgentJobGroup.Name).StartNow()
                .WithSimpleSchedule(Options<OutboxOptions>(sp).PollInterval, null));
            q.AddJob<SpoolCleanupJob>(j => j.WithIdentity(SpoolCleanupJob.Key).StoreDurably().DisallowConcurrentExecution());
            q.AddTrigger((sp, t) => t.ForJob(SpoolCleanupJob.Key).WithIdentity("spool-cleanup", AgentJobGroup.Name).StartNow()
                .WithSimpleSchedule(Options<HousekeepingOptions>(sp).SpoolCleanupInterval, null));
            q.AddJob<DailyStatisticsJob>(j => j.WithIdentity(DailyStatisticsJob.Key).StoreDurably().DisallowConcurrentExecution());
            q.AddTrigger((sp, t) => t.ForJob(DailyStatisticsJob.Key).WithIdentity("daily-statistics", AgentJobGroup.Name)
                .WithCronSchedule(DailyAt(Options<HousekeepingOptions>(sp).DailyStatisticsAt), _ => { }));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>With several agents: the site-wide jobs run on the housekeeping leader only.</summary>
    public static IServiceCollection AddHousekeepingLeader(this IServiceCollection services)
    {
        services.AddSingleton<HousekeepingLeader>();
        services.AddQuartz(q => q.AddTriggerListener<LeaderOnlyJobs>([GroupMatcher<TriggerKey>.AnyGroup()]));
        return services;
    }

    /// <summary>Adds the index snapshot job (with retrieval).</summary>
    public static IServiceCollection AddIndexSnapshotJob(this IServiceCollection services)
    {
        services.AddQuartz(q =>
        {
            q.AddJob<IndexSnapshotJob>(j => j.WithIdentity(IndexSnapshotJob.Key).StoreDurably().DisallowConcurrentExecution());
            q.AddTrigger((sp, t) => t.ForJob(IndexSnapshotJob.Key).WithIdentity("index-snapshot", AgentJobGroup.Name)
                .StartAt(DateTimeOffset.UtcNow + Options<HousekeepingOptions>(sp).IndexSnapshotInterval)
                .WithSimpleSchedule(Options<HousekeepingOptions>(sp).IndexSnapshotInterval, null));
        });
        return services;
    }

    /// <summary>A Quartz cron expression (seconds first) firing every day at <paramref name="timeOfDay"/>.</summary>
    public static string DailyAt(TimeSpan timeOfDay) =>
        string.Create(CultureInfo.InvariantCulture, $"{timeOfDay.Seconds} {timeOfDay.Minutes} {timeOfDay.Hours} * * ?");

    private static T Options<T>(IServiceProvider services) where T : class => services.GetRequiredService<IOptions<T>>().Value;
}
