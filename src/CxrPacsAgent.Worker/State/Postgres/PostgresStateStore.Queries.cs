using System.Text.Json;
using Npgsql;

namespace CxrPacsAgent.Worker.State.Postgres;

/// <summary>Counts, recent jobs and daily statistics (the same queries as SQLite's).</summary>
public sealed partial class PostgresStateStore
{
    public async Task<StateCounts> CountsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var jobs = new Dictionary<JobState, long>();
        await using (var command = Command(connection, null, "SELECT state, COUNT(*) FROM jobs GROUP BY state"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                jobs[(JobState)reader.GetInt32(0)] = reader.GetInt64(1);
            }
        }
        var pending = await ScalarAsync(connection, null, $"SELECT COUNT(*) FROM outbox WHERE state = {Pending}", cancellationToken)
            .ConfigureAwait(false);
        var dead = await ScalarAsync(connection, null, $"SELECT COUNT(*) FROM outbox WHERE state = {(int)OutboxItemState.DeadLetter}",
            cancellationToken).ConfigureAwait(false);
        return new StateCounts(jobs, pending ?? 0, dead ?? 0);
    }

    public async Task<IReadOnlyList<JobRecord>> RecentAsync(int max, CancellationToken cancellationToken = default) =>
        await JobsAsync("ORDER BY updated_at DESC, id DESC LIMIT @p", cancellationToken, max).ConfigureAwait(false);

    public async Task<DailyStatistics> StatisticsAsync(DateOnly day, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        (string, object?)[] range = [("from", from.ToUnixTimeMilliseconds()), ("to", to.ToUnixTimeMilliseconds())];
        async Task<long> CountAsync(string sql) =>
            await ScalarAsync(connection, null, sql, cancellationToken, range).ConfigureAwait(false) ?? 0;
        string JobsIn(JobState state) =>
            $"SELECT COUNT(*) FROM jobs WHERE state = {(int)state} AND updated_at >= @from AND updated_at < @to";
        string ItemsIn(OutboxItemState state) =>
            $"SELECT COUNT(*) FROM outbox WHERE state = {(int)state} AND settled_at >= @from AND settled_at < @to";
        var skipped = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var command = Command(connection, null, $"""
            SELECT COALESCE(reason, ''), COUNT(*) FROM jobs
            WHERE state = {(int)JobState.Skipped} AND updated_at >= @from AND updated_at < @to GROUP BY reason
            """, range))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                skipped[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
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
        await ExecuteAsync(connection, null, "INSERT INTO daily_statistics (day, statistics) VALUES (@day, @json) ON CONFLICT (day) DO UPDATE SET statistics = excluded.statistics",
            cancellationToken, ("day", DayKey(statistics.Day)), ("json", JsonSerializer.Serialize(statistics))).ConfigureAwait(false);
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
