using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Outbox;
using CxrPacsAgent.Worker.Pipeline;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Logging;

namespace CxrPacsAgent.Worker.Admin;

/// <summary>
/// Retry and Cancel on dead letters, each one audited. Retry puts the item back in the outbox (restoring its file from
/// the dead-letter folder when the clean-up has removed it), removes the dead-letter copy and wakes the sender; Cancel
/// only settles the item, leaving its files in the dead-letter folder.
/// </summary>
public sealed partial class AdminActions(IAdminStore store, AgentPaths paths, DeadLetterFolder deadLetters, OutboxSignal signal,
    TimeProvider time, ILogger<AdminActions> logger)
{
    public const string Retry = "retry";
    public const string Cancel = "cancel";

    public async Task<IReadOnlyList<(long ItemId, AdminActionOutcome Outcome)>> RetryAsync(IReadOnlyList<long> itemIds, AdminUser user,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        var outcomes = new List<(long, AdminActionOutcome)>();
        foreach (var id in itemIds.Distinct())
        {
            var outcome = await RetryOneAsync(id, cancellationToken).ConfigureAwait(false);
            await AuditAsync(user, Retry, id, outcome, cancellationToken).ConfigureAwait(false);
            outcomes.Add((id, outcome));
        }
        if (outcomes.Any(o => o.Item2 == AdminActionOutcome.Done))
        {
            signal.Wake();
        }
        return outcomes;
    }

    public async Task<IReadOnlyList<(long ItemId, AdminActionOutcome Outcome)>> CancelAsync(IReadOnlyList<long> itemIds, AdminUser user,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        var outcomes = new List<(long, AdminActionOutcome)>();
        foreach (var id in itemIds.Distinct())
        {
            var outcome = await store.DeliveryAsync(id, cancellationToken).ConfigureAwait(false) switch
            {
                null => AdminActionOutcome.NotFound,
                _ when await store.CancelDeadLetterAsync(id, cancellationToken).ConfigureAwait(false) => AdminActionOutcome.Done,
                _ => AdminActionOutcome.NotADeadLetter,
            };
            await AuditAsync(user, Cancel, id, outcome, cancellationToken).ConfigureAwait(false);
            outcomes.Add((id, outcome));
        }
        return outcomes;
    }

    public static string Text(AdminActionOutcome outcome) => outcome switch
    {
        AdminActionOutcome.Done => "done",
        AdminActionOutcome.NotFound => "no such item",
        AdminActionOutcome.NotADeadLetter => "not a dead letter (already retried, delivered or cancelled)",
        AdminActionOutcome.Superseded => "superseded: a newer copy of the instance replaced it",
        AdminActionOutcome.FileMissing => "the document file is missing from the outbox and dead-letter folders",
        _ => outcome.ToString(),
    };

    private async Task<AdminActionOutcome> RetryOneAsync(long id, CancellationToken cancellationToken)
    {
        if (await store.DeliveryAsync(id, cancellationToken).ConfigureAwait(false) is not { } delivery)
        {
            return AdminActionOutcome.NotFound;
        }
        if (delivery.State != OutboxItemState.DeadLetter)
        {
            return AdminActionOutcome.NotADeadLetter;
        }
        var item = delivery.Item;
        var outboxFile = Path.Combine(paths.Outbox, item.Document.File);
        var copy = Path.Combine(deadLetters.FolderFor(item.Destination), Path.GetFileName(item.Document.File));
        if (!File.Exists(outboxFile) && !File.Exists(copy))
        {
            return AdminActionOutcome.FileMissing;
        }
        // Pending first: from then on the clean-up leaves the outbox file alone.
        if (!await store.RequeueDeadLetterAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return AdminActionOutcome.Superseded;
        }
        if (!File.Exists(outboxFile))
        {
            await DurableFile.WriteAsync(outboxFile, await File.ReadAllBytesAsync(copy, cancellationToken).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        File.Delete(copy);
        File.Delete(copy + ".reason.json");
        return AdminActionOutcome.Done;
    }

    private async Task AuditAsync(AdminUser user, string action, long id, AdminActionOutcome outcome, CancellationToken cancellationToken)
    {
        await store.RecordAuditAsync(new AuditEntry(time.GetUtcNow(), user.Name, action, $"outbox item {id}", Text(outcome), user.Client),
            cancellationToken).ConfigureAwait(false);
        LogAction(user.Name, action, id, Text(outcome));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Administrator {User}: {Action} outbox item {ItemId}: {Outcome}")]
    private partial void LogAction(string user, string action, long itemId, string outcome);
}
