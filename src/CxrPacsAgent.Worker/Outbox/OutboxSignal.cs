using Microsoft.Extensions.Logging;
using Quartz;

namespace CxrPacsAgent.Worker.Outbox;

/// <summary>Tells the sender that new items are due now, so a result goes out at once rather than at the next poll.</summary>
public sealed partial class OutboxSignal(ISchedulerFactory schedulers, ILogger<OutboxSignal> logger)
{
    public void Wake() => _ = WakeAsync();

    private async Task WakeAsync()
    {
        try
        {
            var scheduler = await schedulers.GetScheduler().ConfigureAwait(false);
            await scheduler.TriggerJob(OutboxSendJob.Key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SchedulerException e)
        {
            // Shutting down, or not started yet: the poll (and the start-up run) picks the items up.
            LogNotWoken(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The sender could not be woken: {Error}")]
    private partial void LogNotWoken(string error);
}
