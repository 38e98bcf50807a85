using System.Data.Common;

namespace CxrPacsAgent.Worker.State.Postgres;

/// <summary>
/// The outbox, shared: the items an agent is given as due are claimed by it (leased and fenced like jobs), so two
/// agents never send the same document at once. A settlement is refused only while another agent holds a live claim on
/// the item (it is sending it now); one made after our lease ran out but before anyone else took the item is the truth
/// (the document did or did not reach the destination) and is kept.
/// </summary>
public sealed partial class PostgresStateStore
{
    /// <summary>Nobody else is sending the item: ours under the fence we claimed with, or no live claim at all.</summary>
    private const string NotHeldByOthers = "(claimed_by IS NULL OR lease_until <= now() OR (claimed_by = @agent AND fence = @fence))";

    public async Task<IReadOnlyList<OutboxItem>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // Ours again too: the sender runs one round at a time, so an item it holds is not being sent now.
        await using var command = Command(connection, null, $"""
            WITH due AS (
                SELECT id FROM outbox
                WHERE state = {Pending} AND next_attempt_at <= @now AND (claimed_by IS NULL OR claimed_by = @agent OR lease_until < now())
                ORDER BY next_attempt_at, id LIMIT @max FOR UPDATE SKIP LOCKED)
            UPDATE outbox SET fence = outbox.fence + 1, {NewLease}
            FROM due WHERE outbox.id = due.id
            RETURNING outbox.id, job_id, destination, file, sop_instance_uid, sop_class_uid, attempts, created_at, next_attempt_at,
                last_error, outbox.fence
            """, ("now", now.ToUnixTimeMilliseconds()), ("max", max));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<OutboxItem>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new OutboxItem(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2),
                new OutboxDocument(reader.GetString(3), reader.GetString(4), reader.GetString(5)), reader.GetInt32(6),
                Time(reader.GetInt64(7)), Time(reader.GetInt64(8)), reader.IsDBNull(9) ? null : reader.GetString(9)));
            itemClaims[reader.GetInt64(0)] = reader.GetInt64(10);
        }
        return items.OrderBy(i => i.NextAttemptAt).ThenBy(i => i.Id).ToList();
    }

    public Task RecordDeliveredAsync(long itemId, CancellationToken cancellationToken = default) =>
        SettleAsync(itemId, OutboxItemState.Delivered, null, cancellationToken);

    public Task RecordDeadLetterAsync(long itemId, string reason, CancellationToken cancellationToken = default) =>
        SettleAsync(itemId, OutboxItemState.DeadLetter, reason, cancellationToken);

    public async Task RecordRetryAsync(long itemId, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var done = await ExecuteAsync(connection, null, $"""
            UPDATE outbox SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error, {Released}
            WHERE id = @id AND state = {Pending} AND {NotHeldByOthers}
            """, cancellationToken, [("next", nextAttemptAt.ToUnixTimeMilliseconds()), ("error", error), .. FencedItem(itemId)])
            .ConfigureAwait(false) == 1;
        await ItemSettledAsync(connection, itemId, done, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Settles an item, and its job when it was the job's last pending item.</summary>
    private async Task SettleAsync(long itemId, OutboxItemState state, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var now = Now;
        var jobId = await ScalarAsync(connection, transaction, $"""
            UPDATE outbox SET state = @state, attempts = attempts + 1, settled_at = @now, last_error = COALESCE(@error, last_error), {Released}
            WHERE id = @id AND state = {Pending} AND {NotHeldByOthers}
            RETURNING job_id
            """, cancellationToken, [("state", (int)state), ("now", now), ("error", error), .. FencedItem(itemId)]).ConfigureAwait(false);
        if (jobId is { } job)
        {
            await SettleJobAsync(connection, transaction, job, now, cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        await ItemSettledAsync(connection, itemId, jobId is not null, cancellationToken).ConfigureAwait(false);
    }

    private (string, object?)[] FencedItem(long itemId) =>
        [("id", itemId), ("fence", itemClaims.TryGetValue(itemId, out var fence) ? fence : -1L)];

    /// <summary>Forgets the claim; a settlement refused while the item is still pending was refused by the fence.</summary>
    private async Task ItemSettledAsync(DbConnection connection, long itemId, bool done, CancellationToken cancellationToken)
    {
        var ours = itemClaims.TryRemove(itemId, out var fence) ? fence : -1L;
        if (done)
        {
            return;
        }
        await using var command = Command(connection, null, $"SELECT claimed_by, fence FROM outbox WHERE id = @id AND state = {Pending}", ("id", itemId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            Fenced(new FencedWrite("outbox", itemId, ours, reader.GetInt64(1), reader.IsDBNull(0) ? null : reader.GetString(0)));
        }
    }
}
