using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Outbox;

/// <summary>
/// One round of the outbox: takes the due items, gives up those older than <c>Outbox:MaxAge</c>, sends the rest to
/// their destinations (in parallel, one association each), and records each item's fate: delivered, due again after
/// the back-off, or a dead letter with its reason.
/// </summary>
public sealed partial class OutboxSender(IOutboxStore store, DestinationSender sender, DeadLetterFolder deadLetters,
    IOptions<OutboxOptions> options, IOptions<DestinationsOptions> destinations, AgentMetrics metrics, TimeProvider time,
    ILogger<OutboxSender> logger)
{
    /// <summary>Sends what is due, round after round while rounds come back full; returns the items settled.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var settled = 0;
        while (true)
        {
            var limit = options.Value.BatchSize * Math.Max(1, destinations.Value.Items.Count);
            var due = await store.DueAsync(time.GetUtcNow(), limit, cancellationToken).ConfigureAwait(false);
            if (due.Count == 0)
            {
                return settled;
            }
            var (done, progressed) = await RoundAsync(due, cancellationToken).ConfigureAwait(false);
            settled += done;
            if (due.Count < limit || !progressed)
            {
                return settled;
            }
        }
    }

    private async Task<(int Settled, bool Progressed)> RoundAsync(IReadOnlyList<OutboxItem> due, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var outcomes = new Dictionary<long, SendOutcome>();
        var byName = destinations.Value.Items.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
        var toSend = new List<OutboxItem>();
        foreach (var item in due)
        {
            if (now - item.CreatedAt >= options.Value.MaxAge)
            {
                outcomes[item.Id] = new SendOutcome(SendVerdict.Final, "MaxAgeExceeded",
                    $"not delivered within {options.Value.MaxAge} (Outbox:MaxAge); last error: {item.LastError ?? "none"}");
            }
            else if (!byName.ContainsKey(item.Destination))
            {
                outcomes[item.Id] = new SendOutcome(SendVerdict.Final, "DestinationNotConfigured",
                    $"'{item.Destination}' is no longer in Destinations");
            }
            else
            {
                toSend.Add(item);
            }
        }
        var sends = toSend.GroupBy(i => i.Destination, StringComparer.OrdinalIgnoreCase)
            .Select(g => sender.SendAsync(byName[g.Key], [.. g.Take(options.Value.BatchSize)], cancellationToken));
        foreach (var result in await Task.WhenAll(sends).ConfigureAwait(false))
        {
            foreach (var (id, outcome) in result)
            {
                outcomes[id] = outcome;
            }
        }
        var progressed = false;
        foreach (var item in due)
        {
            if (outcomes.TryGetValue(item.Id, out var outcome))
            {
                progressed |= outcome.Verdict != SendVerdict.Retry;
                await RecordAsync(item, outcome, cancellationToken).ConfigureAwait(false);
            }
        }
        return (outcomes.Count(o => o.Value.Verdict != SendVerdict.Retry), progressed);
    }

    private async Task RecordAsync(OutboxItem item, SendOutcome outcome, CancellationToken cancellationToken)
    {
        var uid = LogValues.Uid(item.Document.SopInstanceUid);
        switch (outcome.Verdict)
        {
            case SendVerdict.Delivered:
                await store.RecordDeliveredAsync(item.Id, cancellationToken).ConfigureAwait(false);
                metrics.Delivered.WithLabels(item.Destination).Inc();
                metrics.DeliverySeconds.WithLabels(item.Destination).Observe((time.GetUtcNow() - item.CreatedAt).TotalSeconds);
                LogDelivered(uid, item.Destination, item.JobId, outcome.Detail);
                break;
            case SendVerdict.Retry:
                var delay = Backoff.Delay(item.Attempts + 1, options.Value.FirstRetryDelay, options.Value.MaxRetryDelay);
                await store.RecordRetryAsync(item.Id, time.GetUtcNow() + delay, $"{outcome.Reason}: {outcome.Detail}", cancellationToken)
                    .ConfigureAwait(false);
                metrics.SendRetries.WithLabels(item.Destination, outcome.Reason).Inc();
                LogRetry(uid, item.Destination, item.Attempts + 1, delay.TotalSeconds, outcome.Reason, outcome.Detail);
                break;
            default:
                await deadLetters.WriteAsync(item, outcome, cancellationToken).ConfigureAwait(false);
                await store.RecordDeadLetterAsync(item.Id, $"{outcome.Reason}: {outcome.Detail}", cancellationToken).ConfigureAwait(false);
                metrics.DeadLetters.WithLabels(item.Destination, outcome.Reason).Inc();
                LogDeadLetter(uid, item.Destination, outcome.Reason, outcome.Detail);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {SopInstanceUid} to {Destination} (job {JobId}): {Detail}")]
    private partial void LogDelivered(string sopInstanceUid, string destination, long jobId, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending {SopInstanceUid} to {Destination} failed (attempt {Attempt}), retrying in {Seconds} s: {Reason} ({Detail})")]
    private partial void LogRetry(string sopInstanceUid, string destination, int attempt, double seconds, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up sending {SopInstanceUid} to {Destination}: {Reason} ({Detail}); it is in the dead-letter folder")]
    private partial void LogDeadLetter(string sopInstanceUid, string destination, string reason, string detail);
}
