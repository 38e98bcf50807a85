using System.Text.Json;

namespace CxrPacsAgent.Worker.State.Sql;

/// <summary>Jobs by id or UID, counts, recent jobs and daily statistics.</summary>
public abstract partial class SqlStateStore
{
    public async Task<JobRecord?> GetAsync(long jobId, CancellationToken cancellationToken = default) =>
        (await JobsAsync("WHERE id = @p", cancellationToken, jobId).ConfigureAwait(false)).SingleOrDefault();

    public async Task<JobRecord?> FindAsync(string sopInstanceUid, CancellationToken cancellationToken = default) =>
        (await JobsAsync("WHERE sop_instance_uid = @p", cancellationToken, sopInstanceUid).ConfigureAwait(false)).SingleOrDefault();

    public async Task<IReadOnlyList<JobRecord>> RecentAsync(int max, CancellationToken cancellationToken = default) =>
        await JobsAsync("ORDER BY updated_at DESC, id DESC LIMIT @p", cancellationToken, max).ConfigureAwait(false);

    private protected Task<List<JobRecord>> JobsAsync(string where, CancellationToken cancellationToken, object? parameter = null) =>
        ListAsync($"SELECT {JobRows.Columns} FROM jobs {where}", JobRows.Read, cancellationToken, ("p", parameter));

    public async Task<StateCounts> CountsAsync(CancellationToken cancellationToken = default)
    {
        var jobs = (await ListAsync("SELECT state, COUNT(*) FROM jobs GROUP BY state", r => ((JobState)r.GetInt32(0), r.GetInt64(1)),
            cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Item1, c => c.Item2);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var pending = await ScalarAsync(connection, null, $"SELECT COUNT(*) FROM outbox WHERE state = {Pending}", cancellationToken)
            .ConfigureAwait(false);
        var dead = await ScalarAsync(connection, null, $"SELECT COUNT(*) FROM outbox WHERE state = {DeadLetter}", cancellationToken)
            .ConfigureAwait(false);
        return new StateCounts(jobs, pending ?? 0, dead ?? 0);
    }

    public async Task<DailyStatistics> StatisticsAsync(DateOnly day, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default)
    {
        (string, object?)[] range = [("from", from.ToUnixTimeMilliseconds()), ("to", to.ToUnixTimeMilliseconds())];
        var skipped = (await ListAsync($"""
            SELECT COALESCE(reason, ''), COUNT(*) FROM jobs
            WHERE state = {(int)JobState.Skipped} AND updated_at >= @from AND updated_at < @to GROUP BY reason
            """, r => (r.GetString(0), r.GetInt64(1)), cancellationToken, range).ConfigureAwait(false))
            .ToDictionary(c => c.Item1, c => c.Item2, StringComparer.Ordinal);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        async Task<long> CountAsync(string sql) =>
            await ScalarAsync(connection, null, sql, cancellationToken, range).ConfigureAwait(false) ?? 0;
        string JobsIn(JobState state) =>
            $"SELECT COUNT(*) FROM jobs WHERE state = {(int)state} AND updated_at >= @from AND updated_at < @to";
        string ItemsIn(OutboxItemState state) =>
            $"SELECT COUNT(*) FROM outbox WHERE state = {(int)state} AND settled_at >= @from AND settled_at < @to";
        return new DailyStatistics(
            day,
            await CountAsync("SELECT COUNT(*) FROM jobs WHERE received_at >= @from AND received_at < @to").ConfigureAwait(false),
            await CountAsync(JobsIn(JobState.Completed)).ConfigureAwait(false),
            await CountAsync(JobsIn(JobState.Failed)).ConfigureAwait(false),
            await CountAsync(JobsIn(JobState.Undelivered)).ConfigureAwait(false),
            skipped,
            await CountAsync(ItemsIn(OutboxItemState.Delivered)).ConfigureAwait(false),
            await CountAsync(ItemsIn(OutboxItemState.DeadLetter)).ConfigureAwait(false));
    }

    public async Task RecordDailyStatisticsAsync(DailyStatistics statistics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, """
            INSERT INTO daily_statistics (day, statistics) VALUES (@day, @json)
            ON CONFLICT (day) DO UPDATE SET statistics = excluded.statistics
            """, cancellationToken, ("day", DayKey(statistics.Day)), ("json", JsonSerializer.Serialize(statistics))).ConfigureAwait(false);
    }

    public async Task<DailyStatistics?> DailyStatisticsAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT statistics FROM daily_statistics WHERE day = @day", ("day", DayKey(day)));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? JsonSerializer.Deserialize<DailyStatistics>(json)
            : null;
    }

    private static string DayKey(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
