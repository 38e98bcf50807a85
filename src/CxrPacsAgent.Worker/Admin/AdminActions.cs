using System.Globalization;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Intake;
using CxrPacsAgent.Worker.Outbox;
using CxrPacsAgent.Worker.Pipeline;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Logging;

namespace CxrPacsAgent.Worker.Admin;

/// <summary>
/// Retry and Cancel on dead letters and on failed jobs, each one audited. Retry of a dead letter puts the item back in
/// the outbox (restoring its file from the dead-letter folder when the clean-up has removed it), removes the
/// dead-letter copy and wakes the sender; Cancel only settles the item, leaving its files in the dead-letter folder.
/// Retry of a failed job sends it through the pipeline again from its spool copy (from its score, when it failed after
/// scoring); Cancel takes it off the Failures list.
/// </summary>
public sealed partial class AdminActions(IAdminStore store, IJobStore jobs, AgentPaths paths, Spool spool, DeadLetterFolder deadLetters,
    OutboxSignal signal, JobQueue queue, TimeProvider time, ILogger<AdminActions> logger)
{
    public const string Retry = "retry";
    public const string Cancel = "cancel";

    public async Task<IReadOnlyList<(long Id, AdminActionOutcome Outcome)>> RetryAsync(IReadOnlyList<long> itemIds, AdminUser user,
        CancellationToken cancellationToken)
    {
        var outcomes = await EachAsync(itemIds, user, Retry, OutboxTarget, RetryOneAsync, cancellationToken).ConfigureAwait(false);
        if (outcomes.Any(o => o.Outcome == AdminActionOutcome.Done))
        {
            signal.Wake();
        }
        return outcomes;
    }

    public Task<IReadOnlyList<(long Id, AdminActionOutcome Outcome)>> CancelAsync(IReadOnlyList<long> itemIds, AdminUser user,
        CancellationToken cancellationToken) =>
        EachAsync(itemIds, user, Cancel, OutboxTarget, async (id, token) =>
            await store.DeliveryAsync(id, token).ConfigureAwait(false) switch
            {
                null => AdminActionOutcome.NotFound,
                _ when await store.CancelDeadLetterAsync(id, token).ConfigureAwait(false) => AdminActionOutcome.Done,
                _ => AdminActionOutcome.NotADeadLetter,
            }, cancellationToken);

    public Task<IReadOnlyList<(long Id, AdminActionOutcome Outcome)>> RetryJobsAsync(IReadOnlyList<long> jobIds, AdminUser user,
        CancellationToken cancellationToken) =>
        EachAsync(jobIds, user, Retry, JobTarget, RetryJobAsync, cancellationToken);

    public Task<IReadOnlyList<(long Id, AdminActionOutcome Outcome)>> CancelJobsAsync(IReadOnlyList<long> jobIds, AdminUser user,
        CancellationToken cancellationToken) =>
        EachAsync(jobIds, user, Cancel, JobTarget, async (id, token) =>
            await jobs.GetAsync(id, token).ConfigureAwait(false) switch
            {
                null => AdminActionOutcome.NotFound,
                _ when await store.CancelFailedJobAsync(id, token).ConfigureAwait(false) => AdminActionOutcome.Done,
                _ => AdminActionOutcome.NotAFailedJob,
            }, cancellationToken);

    public static string Text(AdminActionOutcome outcome) => outcome switch
    {
        AdminActionOutcome.Done => "done",
        AdminActionOutcome.NotFound => "no such item",
        AdminActionOutcome.NotADeadLetter => "not a dead letter (already retried, delivered or cancelled)",
        AdminActionOutcome.Superseded => "superseded: a newer copy of the instance replaced it",
        AdminActionOutcome.FileMissing => "the document file is missing from the outbox and dead-letter folders",
        AdminActionOutcome.NotAFailedJob => "not a processing failure (already retried, processed or cancelled)",
        AdminActionOutcome.SpoolCopyMissing => "the spool copy has been removed (Housekeeping:KeepFailedFor), so there is nothing to process",
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

    /// <summary>A failed job goes back to this agent's pipeline (on a shared store claimed by this agent).</summary>
    private async Task<AdminActionOutcome> RetryJobAsync(long id, CancellationToken cancellationToken)
    {
        if (await jobs.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } job)
        {
            return AdminActionOutcome.NotFound;
        }
        if (job.State != JobState.Failed)
        {
            return AdminActionOutcome.NotAFailedJob;
        }
        if (!File.Exists(spool.PathOf(job.SpoolFile)))
        {
            return AdminActionOutcome.SpoolCopyMissing;
        }
        if (await store.RequeueFailedJobAsync(id, cancellationToken).ConfigureAwait(false) is not { } requeued)
        {
            return AdminActionOutcome.NotAFailedJob;
        }
        queue.Enqueue(requeued);
        return AdminActionOutcome.Done;
    }

    private static string OutboxTarget(long id) => $"outbox item {id.ToString(CultureInfo.InvariantCulture)}";

    private static string JobTarget(long id) => $"job {id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The action on each id once (duplicates dropped), each outcome audited as it comes.</summary>
    private async Task<IReadOnlyList<(long Id, AdminActionOutcome Outcome)>> EachAsync(IReadOnlyList<long> ids, AdminUser user, string action,
        Func<long, string> target, Func<long, CancellationToken, Task<AdminActionOutcome>> one, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(user);
        var outcomes = new List<(long, AdminActionOutcome)>();
        foreach (var id in ids.Distinct())
        {
            var outcome = await one(id, cancellationToken).ConfigureAwait(false);
            await store.RecordAuditAsync(new AuditEntry(time.GetUtcNow(), user.Name, action, target(id), Text(outcome), user.Client),
                cancellationToken).ConfigureAwait(false);
            LogAction(user.Name, action, target(id), Text(outcome));
            outcomes.Add((id, outcome));
        }
        return outcomes;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Administrator {User}: {Action} {Target}: {Outcome}")]
    private partial void LogAction(string user, string action, string target, string outcome);
}
