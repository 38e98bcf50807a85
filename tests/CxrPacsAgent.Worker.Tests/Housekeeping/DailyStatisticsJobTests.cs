using CxrPacsAgent.Worker.Housekeeping;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.State.Sqlite;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CxrPacsAgent.Worker.Tests.Housekeeping;

public sealed class DailyStatisticsJobTests : IDisposable
{
    private readonly TempFolder temp = new("statistics");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        temp.Dispose();
    }

    [Fact]
    public async Task Yesterday_is_counted_from_local_midnight_to_midnight_and_kept()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var store = new SqliteStateStore(Path.Combine(temp.Path, "agent.db"), time);
        await store.InitializeAsync();
        var today = await store.RecordReceivedAsync(new SpooledInstance("1.2.3.1", "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.1.2.1", "a.dcm", new string('a', 64), 1, "R"));
        time.Advance(TimeSpan.FromDays(1));
        await store.RecordReceivedAsync(new SpooledInstance("1.2.3.2", "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.1.2.1", "b.dcm", new string('a', 64), 1, "R"));
        var job = new DailyStatisticsJob(store, time, NullLogger<DailyStatisticsJob>.Instance);
        var statistics = await job.RecordAsync(new DateOnly(2026, 5, 4), default);
        Assert.Equal(1, statistics.Received);
        Assert.Equal(1, (await store.DailyStatisticsAsync(new DateOnly(2026, 5, 4)))!.Received);
        Assert.NotNull(today);
    }

    [Fact]
    public void The_daily_trigger_is_a_Quartz_cron_expression_for_that_time()
    {
        Assert.Equal("0 5 0 * * ?", AgentJobs.DailyAt(TimeSpan.FromMinutes(5)));
        Assert.Equal("30 45 23 * * ?", AgentJobs.DailyAt(new TimeSpan(23, 45, 30)));
        var next = new Quartz.CronExpression(AgentJobs.DailyAt(new TimeSpan(23, 45, 30)), TimeZoneInfo.Utc)
            .GetNextValidTimeAfter(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 23, 45, 30, TimeSpan.Zero), next);
    }
}
