using System.Data.Common;

namespace CxrPacsAgent.Worker.State.Sql;

/// <summary>The admin page's views and actions: deliveries, dead letters, throughput and the audit log.</summary>
public abstract partial class SqlStateStore
{
    private const string DeliveryColumns =
        "id, job_id, destination, file, sop_instance_uid, sop_class_uid, attempts, created_at, next_attempt_at, last_error, "
        + "state, settled_at, job_version";

    public async Task<IReadOnlyList<DeliveryRecord>> DeliveriesAsync(long jobId, CancellationToken cancellationToken = default) =>
        await DeliveriesWhereAsync("WHERE job_id = @p ORDER BY id", jobId, cancellationToken).ConfigureAwait(false);

    public async Task<DeliveryRecord?> DeliveryAsync(long itemId, CancellationToken cancellationToken = default) =>
        (await DeliveriesWhereAsync("WHERE id = @p", itemId, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<IReadOnlyList<DeliveryRecord>> DeadLettersAsync(int max, CancellationToken cancellationToken = default) =>
        await DeliveriesWhereAsync($"WHERE state = {DeadLetter} ORDER BY settled_at DESC, id DESC LIMIT @p", max, cancellationToken)
            .ConfigureAwait(false);

    public async Task<bool> RequeueDeadLetterAsync(long itemId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var now = Now;
        // Back to pending and nobody's: any agent's sender takes it.
        var jobId = await ScalarAsync(connection, transaction, $"""
            UPDATE outbox SET state = {Pending}, created_at = @now, next_attempt_at = @now, settled_at = NULL, file_released = false{ReleaseClaim}
            WHERE id = @id AND state = {DeadLetter}
                AND job_version = (SELECT version FROM jobs WHERE jobs.id = outbox.job_id)
            RETURNING job_id
            """, cancellationToken, ("now", now), ("id", itemId)).ConfigureAwait(false);
        if (jobId is not { } job)
        {
            return false;
        }
        await ExecuteAsync(connection, transaction,
            $"UPDATE jobs SET state = {(int)JobState.Reported}, updated_at = @now WHERE id = @job AND state = {(int)JobState.Undelivered}",
            cancellationToken, ("now", now), ("job", job)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> CancelDeadLetterAsync(long itemId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null,
            $"UPDATE outbox SET state = {(int)OutboxItemState.Cancelled}, settled_at = @now WHERE id = @id AND state = {DeadLetter}",
            cancellationToken, ("now", Now), ("id", itemId)).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<ThroughputBucket>> ThroughputAsync(DateTimeOffset from, TimeSpan bucket, int count,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bucket, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var start = from.ToUnixTimeMilliseconds();
        var width = (long)bucket.TotalMilliseconds;
        async Task<long[]> CountAsync(string column, string table, string where)
        {
            var into = new long[count];
            foreach (var (index, n) in await ListAsync($"""
                SELECT ({column} - @from) / @width, COUNT(*) FROM {table}
                WHERE {column} >= @from AND {column} < @to {where} GROUP BY 1
                """, r => (r.GetInt64(0), r.GetInt64(1)), cancellationToken,
                ("from", start), ("width", width), ("to", start + (width * count))).ConfigureAwait(false))
            {
                into[index] = n;
            }
            return into;
        }
        var received = await CountAsync("received_at", "jobs", "").ConfigureAwait(false);
        var scored = await CountAsync("scored_at", "jobs", "").ConfigureAwait(false);
        var delivered = await CountAsync("settled_at", "outbox", $"AND state = {(int)OutboxItemState.Delivered}").ConfigureAwait(false);
        return [.. Enumerable.Range(0, count).Select(i => new ThroughputBucket(from + (bucket * i), received[i], scored[i], delivered[i]))];
    }

    public async Task RecordAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, """
            INSERT INTO audit (at, user_name, action, target, outcome, client) VALUES (@at, @user, @action, @target, @outcome, @client)
            """, cancellationToken, ("at", entry.At.ToUnixTimeMilliseconds()), ("user", entry.User), ("action", entry.Action),
            ("target", entry.Target), ("outcome", entry.Outcome), ("client", entry.Client)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(int max, CancellationToken cancellationToken = default) =>
        await ListAsync("SELECT at, user_name, action, target, outcome, client FROM audit ORDER BY id DESC LIMIT @max",
            r => new AuditEntry(Time(r.GetInt64(0)), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)),
            cancellationToken, ("max", max)).ConfigureAwait(false);

    private Task<List<DeliveryRecord>> DeliveriesWhereAsync(string where, object parameter, CancellationToken cancellationToken) =>
        ListAsync($"SELECT {DeliveryColumns} FROM outbox {where}", ReadDelivery, cancellationToken, ("p", parameter));

    private static DeliveryRecord ReadDelivery(DbDataReader r) => new(
        new OutboxItem(r.GetInt64(0), r.GetInt64(1), r.GetString(2), new OutboxDocument(r.GetString(3), r.GetString(4), r.GetString(5)),
            r.GetInt32(6), Time(r.GetInt64(7)), Time(r.GetInt64(8)), r.IsDBNull(9) ? null : r.GetString(9)),
        (OutboxItemState)r.GetInt32(10),
        r.IsDBNull(11) ? null : Time(r.GetInt64(11)),
        r.GetInt32(12));
}
