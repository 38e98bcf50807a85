using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Housekeeping;
using CxrPacsAgent.Worker.Intake;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.State.Sqlite;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CxrPacsAgent.Worker.Tests.Housekeeping;

/// <summary>What the clean-up removes, and what it must leave alone.</summary>
public sealed class SpoolCleanupJobTests : IAsyncLifetime
{
    private readonly TempFolder temp = new("cleanup");
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private AgentPaths paths = null!;
    private SqliteStateStore store = null!;
    private SpoolCleanupJob job = null!;
    private int sequence;

    public async Task InitializeAsync()
    {
        paths = new AgentPaths(temp.Path);
        paths.CreateFolders();
        store = new SqliteStateStore(paths.Database, time);
        await store.InitializeAsync();
        job = new SpoolCleanupJob(store, store, new Spool(paths), paths,
            Options.Create(new HousekeepingOptions { KeepProcessedFor = TimeSpan.FromHours(1), KeepFailedFor = TimeSpan.FromDays(7) }),
            time, NullLogger<SpoolCleanupJob>.Instance);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        temp.Dispose();
        return Task.CompletedTask;
    }

    private async Task<JobRef> SpooledAsync(string name)
    {
        await File.WriteAllTextAsync(Path.Combine(paths.Spool, name), "x");
        return (await store.RecordReceivedAsync(new SpooledInstance("1.2.3." + Interlocked.Increment(ref sequence),
            "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.1.2.1", name, new string('a', 64), 1, "R"))).Job;
    }

    [Fact]
    public async Task Spool_files_go_after_their_retention_orphans_after_a_grace_time_and_busy_ones_stay()
    {
        var skipped = await SpooledAsync("skipped.dcm");
        var failed = await SpooledAsync("failed.dcm");
        await SpooledAsync("busy.dcm");
        Assert.True(await store.RecordSkippedAsync(skipped, "NotFrontal", "LL"));
        Assert.True(await store.RecordFailedAsync(failed, "Unreadable", "bad"));
        var orphan = Path.Combine(paths.Spool, "orphan.dcm");
        await File.WriteAllTextAsync(orphan, "x");
        File.SetLastWriteTimeUtc(orphan, time.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(11));
        var fresh = Path.Combine(paths.Spool, "just-committed.dcm");
        await File.WriteAllTextAsync(fresh, "x");
        File.SetLastWriteTimeUtc(fresh, time.GetUtcNow().UtcDateTime);

        Assert.Equal(1, await job.RunAsync(default));
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(Path.Combine(paths.Spool, "skipped.dcm")));

        // Two hours on, the skipped instance's retention is over, and the unrecorded file is an orphan too.
        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(2, await job.RunAsync(default));
        Assert.False(File.Exists(Path.Combine(paths.Spool, "skipped.dcm")));
        Assert.False(File.Exists(fresh));
        Assert.True(File.Exists(Path.Combine(paths.Spool, "failed.dcm")));
        Assert.True(File.Exists(Path.Combine(paths.Spool, "busy.dcm")));
        time.Advance(TimeSpan.FromDays(7));
        await job.RunAsync(default);
        Assert.False(File.Exists(Path.Combine(paths.Spool, "failed.dcm")));
        Assert.True(File.Exists(Path.Combine(paths.Spool, "busy.dcm")));
    }
}
