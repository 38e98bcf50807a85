using Npgsql;

namespace CxrPacsAgent.Worker.State.Postgres;

/// <summary>The admin page's views and actions (the same as SQLite's): deliveries, dead letters, throughput and the audit log.</summary>
public sealed partial class PostgresStateStore
{
    private const string DeliveryColumns =
        "id, job_id, destination, file, sop_instance_uid, sop_class_uid, attempts, created_at, next_attempt_at, last_error, "
        + "state, settled_at, job_version";

    private const int DeadLetter = (int)OutboxItemState.DeadLetter;

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
            UPDATE outbox SET state = {Pending}, created_at = @now, next_attempt_at = @now, settled_at = NULL, file_released = false, {Released}
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
        var received = new long[count];
        var scored = new long[count];
        var delivered = new long[count];
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        async Task CountAsync(string column, string table, string where, long[] into)
        {
            await using var command = Command(connection, null, $"""
                SELECT ({column} - @from) / @width, COUNT(*) FROM {table}
                WHERE {column} >= @from AND {column} < @to {where} GROUP BY 1
                """, ("from", start), ("width", width), ("to", start + (width * count)));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                into[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }
        await CountAsync("received_at", "jobs", "", received).ConfigureAwait(false);
        await CountAsync("scored_at", "jobs", "", scored).ConfigureAwait(false);
        await CountAsync("settled_at", "outbox", $"AND state = {(int)OutboxItemState.Delivered}", delivered).ConfigureAwait(false);
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

    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT at, user_name, action, target, outcome, client FROM audit ORDER BY id DESC LIMIT @max", ("max", max));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry(Time(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5)));
        }
        return entries;
    }

    private async Task<List<DeliveryRecord>> DeliveriesWhereAsync(string where, object parameter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {DeliveryColumns} FROM outbox {where}", ("p", parameter));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<DeliveryRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(ReadDelivery(reader));
        }
        return records;
    }

    private static DeliveryRecord ReadDelivery(NpgsqlDataReader r) => new(
        new OutboxItem(r.GetInt64(0), r.GetInt64(1), r.GetString(2), new OutboxDocument(r.GetString(3), r.GetString(4), r.GetString(5)),
            r.GetInt32(6), Time(r.GetInt64(7)), Time(r.GetInt64(8)), r.IsDBNull(9) ? null : r.GetString(9)),
        (OutboxItemState)r.GetInt32(10),
        r.IsDBNull(11) ? null : Time(r.GetInt64(11)),
        r.GetInt32(12));
}
