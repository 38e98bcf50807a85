
namespace CxrPacsAgent.Worker.State.Sqlite;

/// <summary>The outbox: due items, attempts, deliveries and dead letters.</summary>
public sealed partial class SqliteStateStore
{
    public async Task<IReadOnlyList<OutboxItem>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"""
            SELECT id, job_id, destination, file, sop_instance_uid, sop_class_uid, attempts, created_at, next_attempt_at, last_error
            FROM outbox WHERE state = {Pending} AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT @max
            """, ("now", now.ToUnixTimeMilliseconds()), ("max", max));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<OutboxItem>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new OutboxItem(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2),
                new OutboxDocument(reader.GetString(3), reader.GetString(4), reader.GetString(5)), reader.GetInt32(6),
                Time(reader.GetInt64(7)), Time(reader.GetInt64(8)), reader.IsDBNull(9) ? null : reader.GetString(9)));
        }
        return items;
    }

    public Task RecordDeliveredAsync(long itemId, CancellationToken cancellationToken = default) =>
        SettleAsync(itemId, OutboxItemState.Delivered, null, cancellationToken);

    public Task RecordDeadLetterAsync(long itemId, string reason, CancellationToken cancellationToken = default) =>
        SettleAsync(itemId, OutboxItemState.DeadLetter, reason, cancellationToken);

    public async Task RecordRetryAsync(long itemId, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, $"""
            UPDATE outbox SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error
            WHERE id = @id AND state = {Pending}
            """, cancellationToken, ("next", nextAttemptAt.ToUnixTimeMilliseconds()), ("error", error), ("id", itemId))
            .ConfigureAwait(false);
    }

    /// <summary>Settles an item, and its job when it was the job's last pending item.</summary>
    private async Task SettleAsync(long itemId, OutboxItemState state, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction();
        var now = Now;
        var jobId = await ScalarAsync(connection, transaction, $"""
            UPDATE outbox SET state = @state, attempts = attempts + 1, settled_at = @now, last_error = COALESCE(@error, last_error)
            WHERE id = @id AND state = {Pending}
            RETURNING job_id
            """, cancellationToken, ("state", (int)state), ("now", now), ("error", error), ("id", itemId)).ConfigureAwait(false);
        if (jobId is { } job)
        {
            await SettleJobAsync(connection, transaction, job, now, cancellationToken).ConfigureAwait(false);
        }
        transaction.Commit();
    }
}
