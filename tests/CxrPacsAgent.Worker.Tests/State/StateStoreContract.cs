using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Time.Testing;

namespace CxrPacsAgent.Worker.Tests.State;

/// <summary>
/// What every state store must do, whatever its engine: SQLite here; the PostgreSQL store derives from this class too
/// and must pass it unchanged. Each test gets a fresh, initialised store and a clock it controls.
/// </summary>
public abstract partial class StateStoreContract : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));

    protected IStateStore Store { get; private set; } = null!;

    /// <summary>A new, empty store on the given clock (not yet initialised).</summary>
    protected abstract Task<IStateStore> CreateStoreAsync(FakeTimeProvider time);

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync(Time);
        await Store.InitializeAsync();
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static int sequence;

    protected static SpooledInstance Instance(string? uid = null, string hash = "aaaaaaaaaaaaaaaaaaaa")
    {
        uid ??= $"1.2.826.0.1.3680043.10.{Interlocked.Increment(ref sequence)}";
        return new SpooledInstance(uid, "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.1.2.1", $"{uid}.{hash[..16]}.dcm", hash, 1234, "ROUTER");
    }

    private static ScoreRecord Score(float score = 0.75f, string? label = "PNEUMONIA") =>
        new(score, label, 0.5, "cxr-test", "1.0.0", [0.25f, -1.5f, float.Epsilon, 3e10f], LossySource: true);

    private static readonly OutboxDocument Sr = new("sr-1.dcm", "1.2.3.1", "1.2.840.10008.5.1.4.1.1.88.34");
    private static readonly OutboxDocument Sc = new("sc-1.dcm", "1.2.3.2", "1.2.840.10008.5.1.4.1.1.7");

    [Fact]
    public async Task A_new_instance_becomes_a_received_job_that_the_pipeline_resumes()
    {
        var instance = Instance();
        var outcome = await Store.RecordReceivedAsync(instance);
        Assert.Equal(IntakeKind.New, outcome.Kind);
        Assert.Equal(1, outcome.Job.Version);
        var job = await Store.GetAsync(outcome.Job.Id);
        Assert.NotNull(job);
        Assert.Equal((instance.SopInstanceUid, instance.SopClassUid, instance.TransferSyntaxUid, instance.SpoolFile),
            (job.SopInstanceUid, job.SopClassUid, job.TransferSyntaxUid, job.SpoolFile));
        Assert.Equal((JobState.Received, 1, Time.GetUtcNow()), (job.State, job.TimesReceived, job.ReceivedAt));
        Assert.Null(job.Score);
        Assert.Equal(outcome.Job, (await Store.FindAsync(instance.SopInstanceUid))!.Ref);
        Assert.Equal([outcome.Job], (await Store.UnfinishedAsync()).Select(j => j.Ref));
        Assert.Null(await Store.FindAsync("1.2.3.404"));
    }

    [Fact]
    public async Task The_same_bytes_again_are_a_duplicate_and_other_bytes_a_new_version()
    {
        var first = await Store.RecordReceivedAsync(Instance("1.2.3.77"));
        Assert.True(await Store.RecordScoredAsync(first.Job, Score()));
        Assert.True(await Store.RecordReportedAsync(first.Job, [Sr], ["PACS"]));

        var again = await Store.RecordReceivedAsync(Instance("1.2.3.77"));
        Assert.Equal(IntakeKind.Duplicate, again.Kind);
        Assert.Equal(first.Job, again.Job);
        var job = (await Store.GetAsync(first.Job.Id))!;
        Assert.Equal((JobState.Reported, 2), (job.State, job.TimesReceived));
        Assert.Single(await Store.DueAsync(Time.GetUtcNow(), 10));

        var changed = await Store.RecordReceivedAsync(Instance("1.2.3.77", "bbbbbbbbbbbbbbbbbbbb"));
        Assert.Equal(IntakeKind.Replaced, changed.Kind);
        Assert.Equal(new JobRef(first.Job.Id, 2), changed.Job);
        Assert.Equal("1.2.3.77.aaaaaaaaaaaaaaaa.dcm", changed.PreviousSpoolFile);
        job = (await Store.GetAsync(first.Job.Id))!;
        Assert.Equal((JobState.Received, 3, "1.2.3.77.bbbbbbbbbbbbbbbb.dcm"), (job.State, job.TimesReceived, job.SpoolFile));
        Assert.Null(job.Score);
        // The older copy's result is withdrawn, and nothing recorded for the older version is taken any more.
        Assert.Empty(await Store.DueAsync(Time.GetUtcNow(), 10));
        Assert.False(await Store.RecordScoredAsync(first.Job, Score()));
        Assert.False(await Store.RecordSkippedAsync(first.Job, "NotFrontal", "lateral"));
        Assert.True(await Store.RecordScoredAsync(changed.Job, Score(0.25f)));
        Assert.Equal(0.25f, (await Store.GetAsync(first.Job.Id))!.Score!.Score);
    }

    [Fact]
    public async Task Scores_round_trip_exactly_and_are_recorded_once()
    {
        var job = (await Store.RecordReceivedAsync(Instance())).Job;
        var score = Score(0.123456789f, label: null) with { Calibrated = true, OodDistance = 0.4321, OodThreshold = 0.25 };
        Assert.True(await Store.RecordScoredAsync(job, score));
        var recorded = (await Store.GetAsync(job.Id))!;
        Assert.Equal(JobState.Scored, recorded.State);
        Assert.Equal(score.Score, recorded.Score!.Score);
        Assert.Null(recorded.Score.Label);
        Assert.Equal((score.Threshold, score.Model, score.ModelVersion, score.LossySource),
            (recorded.Score.Threshold, recorded.Score.Model, recorded.Score.ModelVersion, recorded.Score.LossySource));
        Assert.Equal(score.Embedding, recorded.Score.Embedding);
        Assert.Equal((true, 0.4321, 0.25, true), (recorded.Score.Calibrated, recorded.Score.OodDistance, recorded.Score.OodThreshold,
            recorded.Score.OutOfDistribution));
        Assert.False(await Store.RecordScoredAsync(job, Score(0.9f)));
        Assert.True(await Store.RecordIndexedAsync(job, """[{"sopInstanceUid":"1.2.3"}]"""));
        Assert.Equal(JobState.Indexed, (await Store.GetAsync(job.Id))!.State);
        Assert.Equal("""[{"sopInstanceUid":"1.2.3"}]""", (await Store.GetAsync(job.Id))!.SimilarStudies);
        Assert.Single(await Store.UnfinishedAsync());
    }

    [Fact]
    public async Task Skipped_and_failed_jobs_are_final_with_their_reason()
    {
        var skipped = (await Store.RecordReceivedAsync(Instance())).Job;
        var failed = (await Store.RecordReceivedAsync(Instance())).Job;
        Assert.True(await Store.RecordSkippedAsync(skipped, "NotFrontal", "View Position is LL"));
        Assert.True(await Store.RecordFailedAsync(failed, "Unreadable", "pixel data truncated at offset 1024"));
        var s = (await Store.GetAsync(skipped.Id))!;
        Assert.Equal((JobState.Skipped, "NotFrontal", "View Position is LL"), (s.State, s.Reason, s.Detail));
        Assert.Equal(JobState.Failed, (await Store.GetAsync(failed.Id))!.State);
        Assert.False(await Store.RecordScoredAsync(skipped, Score()));
        Assert.False(await Store.RecordReportedAsync(failed, [Sr], ["PACS"]));
        Assert.Empty(await Store.UnfinishedAsync());
        Assert.True(JobState.Skipped.IsFinal());
        Assert.False(JobState.Reported.IsFinal());
    }

    [Fact]
    public async Task Reporting_queues_every_document_for_every_destination_and_delivery_completes_the_job()
    {
        var job = (await Store.RecordReceivedAsync(Instance())).Job;
        Assert.True(await Store.RecordScoredAsync(job, Score()));
        Assert.True(await Store.RecordReportedAsync(job, [Sr, Sc], ["PACS", "ARCHIVE"]));
        Assert.False(await Store.RecordReportedAsync(job, [Sr, Sc], ["PACS", "ARCHIVE"]));
        Assert.Equal(JobState.Reported, (await Store.GetAsync(job.Id))!.State);
        var due = await Store.DueAsync(Time.GetUtcNow(), 10);
        Assert.Equal(4, due.Count);
        Assert.Equal(["ARCHIVE", "ARCHIVE", "PACS", "PACS"], due.Select(i => i.Destination).Order());
        Assert.All(due, i => Assert.Equal(job.Id, i.JobId));
        Assert.Empty(await Store.ReleasableOutboxFilesAsync(10));

        foreach (var item in due.Take(3))
        {
            await Store.RecordDeliveredAsync(item.Id);
        }
        Assert.Equal(JobState.Reported, (await Store.GetAsync(job.Id))!.State);
        await Store.RecordDeliveredAsync(due[3].Id);
        await Store.RecordDeliveredAsync(due[3].Id);
        Assert.Equal(JobState.Completed, (await Store.GetAsync(job.Id))!.State);
        Assert.Empty(await Store.DueAsync(Time.GetUtcNow(), 10));
        Assert.Null(await Store.NextDueAsync());
        Assert.Equal(["sc-1.dcm", "sr-1.dcm"], (await Store.ReleasableOutboxFilesAsync(10)).Order());
        await Store.RecordOutboxFileReleasedAsync("sr-1.dcm");
        Assert.Equal(["sc-1.dcm"], await Store.ReleasableOutboxFilesAsync(10));
    }

    [Fact]
    public async Task Without_destinations_or_documents_a_reported_job_is_complete_at_once()
    {
        var job = (await Store.RecordReceivedAsync(Instance())).Job;
        Assert.True(await Store.RecordScoredAsync(job, Score()));
        Assert.True(await Store.RecordReportedAsync(job, [Sr], []));
        Assert.Equal(JobState.Completed, (await Store.GetAsync(job.Id))!.State);
        Assert.Empty(await Store.DueAsync(Time.GetUtcNow(), 10));
    }

    [Fact]
    public async Task Retries_wait_until_due_and_a_dead_letter_makes_the_job_undelivered()
    {
        var job = (await Store.RecordReceivedAsync(Instance())).Job;
        Assert.True(await Store.RecordScoredAsync(job, Score()));
        Assert.True(await Store.RecordReportedAsync(job, [Sr, Sc], ["PACS"]));
        var items = await Store.DueAsync(Time.GetUtcNow(), 10);
        var later = Time.GetUtcNow().AddSeconds(30);
        await Store.RecordRetryAsync(items[0].Id, later, "connection refused");
        Assert.Equal([items[1].Id], (await Store.DueAsync(Time.GetUtcNow(), 10)).Select(i => i.Id));
        await Store.RecordDeadLetterAsync(items[1].Id, "A900: data set does not match SOP class");
        Assert.Equal(later, await Store.NextDueAsync());
        Time.Advance(TimeSpan.FromSeconds(30));
        var retried = Assert.Single(await Store.DueAsync(Time.GetUtcNow(), 10));
        Assert.Equal((items[0].Id, 1, "connection refused"), (retried.Id, retried.Attempts, retried.LastError));
        Assert.Equal(JobState.Reported, (await Store.GetAsync(job.Id))!.State);
        await Store.RecordDeliveredAsync(retried.Id);
        Assert.Equal(JobState.Undelivered, (await Store.GetAsync(job.Id))!.State);
        var counts = await Store.CountsAsync();
        Assert.Equal((0L, 1L, 1L), (counts.OutboxPending, counts.DeadLetters, counts.Count(JobState.Undelivered)));
    }

    [Fact]
    public async Task Spool_files_are_released_after_their_retention_and_only_once()
    {
        var done = (await Store.RecordReceivedAsync(Instance())).Job;
        var failed = (await Store.RecordReceivedAsync(Instance())).Job;
        var busy = (await Store.RecordReceivedAsync(Instance())).Job;
        Assert.True(await Store.RecordSkippedAsync(done, "NotChest", "Body Part Examined is HAND"));
        Assert.True(await Store.RecordFailedAsync(failed, "Unreadable", "truncated"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var now = Time.GetUtcNow();
        var releasable = await Store.ReleasableSpoolFilesAsync(now, now.AddDays(-7), 10);
        var release = Assert.Single(releasable);
        Assert.Equal(done.Id, release.JobId);
        Assert.Equal(3, (await Store.ReferencedSpoolFilesAsync()).Count);
        await Store.RecordSpoolReleasedAsync(release);
        Assert.Empty(await Store.ReleasableSpoolFilesAsync(now, now.AddDays(-7), 10));
        Assert.Equal(2, (await Store.ReferencedSpoolFilesAsync()).Count);
        Assert.Equal([failed.Id], (await Store.ReleasableSpoolFilesAsync(now, now, 10)).Select(r => r.JobId));
        Assert.Contains((await Store.GetAsync(busy.Id))!.SpoolFile, await Store.ReferencedSpoolFilesAsync());
    }

    [Fact]
    public async Task Concurrent_intake_gives_one_job_per_instance()
    {
        var uids = Enumerable.Range(0, 40).Select(i => $"1.2.3.999.{i}").ToList();
        var outcomes = await Task.WhenAll(uids.Concat(uids.Take(10)).Select(uid => Task.Run(() => Store.RecordReceivedAsync(Instance(uid)))));
        Assert.Equal(40, outcomes.Count(o => o.Kind == IntakeKind.New));
        Assert.Equal(10, outcomes.Count(o => o.Kind == IntakeKind.Duplicate));
        Assert.Equal(40, outcomes.Select(o => o.Job.Id).Distinct().Count());
        Assert.Equal(40, (await Store.UnfinishedAsync()).Count);
    }

    [Fact]
    public async Task Counts_recent_jobs_and_daily_statistics()
    {
        var day = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);
        var from = Time.GetUtcNow().AddHours(-1);
        var a = (await Store.RecordReceivedAsync(Instance())).Job;
        var b = (await Store.RecordReceivedAsync(Instance())).Job;
        var c = (await Store.RecordReceivedAsync(Instance())).Job;
        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await Store.RecordSkippedAsync(a, "NotFrontal", "LL"));
        Assert.True(await Store.RecordScoredAsync(b, Score()));
        Assert.True(await Store.RecordReportedAsync(b, [Sr], ["PACS"]));
        await Store.RecordDeliveredAsync((await Store.DueAsync(Time.GetUtcNow(), 1))[0].Id);
        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await Store.RecordSkippedAsync(c, "NotFrontal", "LAT"));

        var counts = await Store.CountsAsync();
        Assert.Equal((2L, 1L, 0L), (counts.Count(JobState.Skipped), counts.Count(JobState.Completed), counts.Count(JobState.Received)));
        var recent = await Store.RecentAsync(2);
        Assert.Equal([c.Id, b.Id], recent.Select(j => j.Ref.Id));

        var statistics = await Store.StatisticsAsync(day, from, Time.GetUtcNow().AddSeconds(1));
        Assert.Equal((3L, 1L, 0L, 1L, 0L), (statistics.Received, statistics.Completed, statistics.Failed, statistics.Delivered, statistics.DeadLetters));
        Assert.Equal(2L, statistics.SkippedByReason["NotFrontal"]);
        await Store.RecordDailyStatisticsAsync(statistics);
        await Store.RecordDailyStatisticsAsync(statistics);
        var kept = await Store.DailyStatisticsAsync(day);
        Assert.Equal(statistics.Received, kept!.Received);
        Assert.Equal(2L, kept.SkippedByReason["NotFrontal"]);
        Assert.Null(await Store.DailyStatisticsAsync(day.AddDays(1)));
        Assert.True(await Store.PingAsync());
    }
}
