using System.Data.Common;

namespace CxrPacsAgent.Worker.State.Sql;

/// <summary>
/// What the SQLite and PostgreSQL stores share: the command helpers and every statement both run alike (reads,
/// statistics, spool and outbox-file releases, the admin page's views and actions). Parameters are written
/// <c>@name</c> and bound as <c>name</c>, which both providers accept. Intake, the pipeline's records and the outbox's
/// claims differ (PostgreSQL leases and fences them) and stay with each provider.
/// </summary>
public abstract partial class SqlStateStore
{
    private readonly TimeProvider time;

    private protected SqlStateStore(TimeProvider? time) => this.time = time ?? TimeProvider.System;

    /// <summary>An open connection, ready for statements (the caller disposes it).</summary>
    private protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// What an UPDATE of an outbox row appends to its SET list so that nobody holds the row afterwards (empty where
    /// rows are never claimed).
    /// </summary>
    private protected abstract string ReleaseClaim { get; }

    /// <summary>
    /// What a sub-select of rows to delete in passing ends with so that it skips rows another transaction holds
    /// rather than wait for them (empty where writers take turns anyway).
    /// </summary>
    private protected abstract string SkipLocked { get; }

    private protected long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private protected virtual DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Bind(command, name, value);
        }
        return command;
    }

    private protected static void Bind(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private protected async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private protected async Task<long?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a query and reads each row with <paramref name="read"/>.</summary>
    private protected async Task<List<T>> ListAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private protected static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    private protected const int Pending = (int)OutboxItemState.Pending;

    private protected const int DeadLetter = (int)OutboxItemState.DeadLetter;

    /// <summary>The parameters intake binds for a received instance.</summary>
    private protected static (string, object?)[] Parameters(SpooledInstance instance, long now) =>
    [
        ("uid", instance.SopInstanceUid), ("class", instance.SopClassUid), ("syntax", instance.TransferSyntaxUid),
        ("file", instance.SpoolFile), ("hash", instance.ContentHash), ("length", instance.Length),
        ("calling", instance.CallingAeTitle), ("now", now), ("accession", instance.AccessionKey),
    ];

    /// <summary>
    /// Settles a job after one of its outbox items settled, once none of its items is pending: completed, or undelivered
    /// when an item is a dead letter or was cancelled. Only the current version's items count: those of a replaced copy
    /// were withdrawn.
    /// </summary>
    private protected Task<int> SettleJobAsync(DbConnection connection, DbTransaction transaction, long job, long now,
        CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, $"""
            UPDATE jobs SET updated_at = @now, state = CASE
                    WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.job_id = jobs.id AND o.job_version = jobs.version
                        AND o.state IN ({DeadLetter}, {(int)OutboxItemState.Cancelled})) THEN {(int)JobState.Undelivered}
                    ELSE {(int)JobState.Completed} END
            WHERE id = @job AND state = {(int)JobState.Reported} AND NOT EXISTS (
                SELECT 1 FROM outbox o WHERE o.job_id = jobs.id AND o.job_version = jobs.version AND o.state = {Pending})
            """, cancellationToken, ("now", now), ("job", job));
}
