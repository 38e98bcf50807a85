using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Housekeeping;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Options;
using Quartz;

namespace CxrPacsAgent.Worker.Outbox;

/// <summary>
/// The sender as a Quartz job: runs a round of <see cref="OutboxSender"/>, then schedules itself for when the next
/// back-off ends (a one-shot trigger; the earlier one wins), besides its regular poll and the wake-ups new results give.
/// </summary>
[DisallowConcurrentExecution]
public sealed class OutboxSendJob(OutboxSender sender, IOutboxStore store, IOptions<OutboxOptions> options, TimeProvider time) : IJob
{
    public static readonly JobKey Key = new("outbox-send", AgentJobGroup.Name);

    private static readonly TriggerKey NextDue = new("outbox-next-due", AgentJobGroup.Name);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await sender.SendDueAsync(cancellationToken).ConfigureAwait(false);
        if (await store.NextDueAsync(cancellationToken).ConfigureAwait(false) is { } next
            && next < time.GetUtcNow() + options.Value.PollInterval)
        {
            var trigger = TriggerBuilder.Create(time).WithIdentity(NextDue).ForJob(Key).StartAt(next).Build();
            await context.Scheduler.ScheduleTrigger(trigger, TriggerConflict.KeepEarlier, cancellationToken).ConfigureAwait(false);
        }
    }
}
