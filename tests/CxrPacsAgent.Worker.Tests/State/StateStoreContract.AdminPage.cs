using CxrPacsAgent.Worker.State;

namespace CxrPacsAgent.Worker.Tests.State;

/// <summary>
/// The admin page's later part of the contract: the accession key recorded at intake, the thumbnail recorded with
/// the score, and processing failures retried or cancelled.
/// </summary>
public abstract partial class StateStoreContract
{
    private const string AccessionKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    [Fact]
    public async Task Intake_records_the_accession_key_and_a_new_copy_brings_its_own()
    {
        var job = (await Store.RecordReceivedAsync(Instance() with { AccessionKey = AccessionKey })).Job;
        var plain = (await Store.RecordReceivedAsync(Instance())).Job;
        Assert.Equal(AccessionKey, (await Store.GetAsync(job.Id))!.AccessionKey);
        Assert.Null((await Store.GetAsync(plain.Id))!.AccessionKey);
        Assert.Equal(AccessionKey, (await Store.RecentAsync(10)).Single(j => j.Ref.Id == job.Id).AccessionKey);

        var uid = (await Store.GetAsync(job.Id))!.SopInstanceUid;
        var other = new string('f', 64);
        await Store.RecordReceivedAsync(Instance(uid, "bbbbbbbbbbbbbbbbbbbb") with { AccessionKey = other });
        Assert.Equal(other, (await Store.GetAsync(job.Id))!.AccessionKey);
    }

    [Fact]
    public async Task The_thumbnail_is_recorded_with_the_score_and_belongs_to_that_version_only()
    {
        var job = (await Store.RecordReceivedAsync(Instance())).Job;
        Assert.Null(await Store.ThumbnailAsync(job.Id));
        Assert.True(await Store.RecordScoredAsync(job, Score() with { Thumbnail = Png }));
        Assert.Equal(Png, await Store.ThumbnailAsync(job.Id));
        Assert.Null((await Store.GetAsync(job.Id))!.Score!.Thumbnail);
        Assert.Null(await Store.ThumbnailAsync(9999));

        // Scored without one (a package run before this version): none, and no error.
        var bare = (await Store.RecordReceivedAsync(Instance())).Job;
        Assert.True(await Store.RecordScoredAsync(bare, Score()));
        Assert.Null(await Store.ThumbnailAsync(bare.Id));

        // A new copy of the instance: the old picture is not shown for it, and its own replaces it once scored.
        var uid = (await Store.GetAsync(job.Id))!.SopInstanceUid;
        var replaced = (await Store.RecordReceivedAsync(Instance(uid, "bbbbbbbbbbbbbbbbbbbb"))).Job;
        Assert.Null(await Store.ThumbnailAsync(job.Id));
        byte[] newer = [.. Png, 4];
        Assert.True(await Store.RecordScoredAsync(replaced, Score() with { Thumbnail = newer }));
        Assert.Equal(newer, await Store.ThumbnailAsync(job.Id));
    }

    [Fact]
    public async Task A_failed_job_is_listed_until_retried_or_cancelled_and_a_retry_resumes_from_what_was_recorded()
    {
        var early = (await Store.RecordReceivedAsync(Instance())).Job;
        var late = (await Store.RecordReceivedAsync(Instance())).Job;
        var done = (await Store.RecordReceivedAsync(Instance())).Job;
        Assert.True(await Store.RecordFailedAsync(early, "UnreadableDataSet", "truncated at offset 1234"));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await Store.RecordScoredAsync(late, Score()));
        Assert.True(await Store.RecordFailedAsync(late, "IOException", "results folder"));
        Assert.True(await Store.RecordSkippedAsync(done, "NotFrontal", "lateral"));
        Assert.Equal([late.Id, early.Id], (await Store.FailedJobsAsync(10)).Select(j => j.Ref.Id));
        Assert.Equal([late.Id], (await Store.FailedJobsAsync(1)).Select(j => j.Ref.Id));

        // Retried: back where its records leave it (from the start, or from its score), unfinished, off the list.
        Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(early, await Store.RequeueFailedJobAsync(early.Id));
        Assert.Equal(late, await Store.RequeueFailedJobAsync(late.Id));
        var (a, b) = ((await Store.GetAsync(early.Id))!, (await Store.GetAsync(late.Id))!);
        Assert.Equal((JobState.Received, null, null, Time.GetUtcNow()), (a.State, a.Reason, a.Detail, a.UpdatedAt));
        Assert.Equal((JobState.Scored, 0.75f), (b.State, b.Score!.Score));
        Assert.Equal([early.Id, late.Id], (await Store.UnfinishedAsync()).Select(j => j.Ref.Id).Where(id => id == early.Id || id == late.Id));
        Assert.Empty(await Store.FailedJobsAsync(10));
        Assert.Null(await Store.RequeueFailedJobAsync(early.Id));
        Assert.Null(await Store.RequeueFailedJobAsync(done.Id));
        Assert.Null(await Store.RequeueFailedJobAsync(9999));
        Assert.True(await Store.RecordScoredAsync(early, Score()));

        // Failed again, then cancelled: off the list for good, still Failed, and no longer retried.
        Assert.True(await Store.RecordFailedAsync(late, "IOException", "again"));
        Assert.False(await Store.CancelFailedJobAsync(early.Id));
        Assert.True(await Store.CancelFailedJobAsync(late.Id));
        Assert.False(await Store.CancelFailedJobAsync(late.Id));
        Assert.Empty(await Store.FailedJobsAsync(10));
        Assert.Equal(JobState.Failed, (await Store.GetAsync(late.Id))!.State);
        Assert.Null(await Store.RequeueFailedJobAsync(late.Id));
        Assert.Equal(1, (await Store.CountsAsync()).Count(JobState.Failed));
    }

    [Fact]
    public async Task A_failed_job_whose_spool_copy_was_released_cannot_be_retried()
    {
        var job = (await Store.RecordReceivedAsync(Instance())).Job;
        Assert.True(await Store.RecordFailedAsync(job, "UnreadableDataSet", "truncated"));
        Time.Advance(TimeSpan.FromDays(8));
        var release = Assert.Single(await Store.ReleasableSpoolFilesAsync(Time.GetUtcNow(), Time.GetUtcNow(), 10));
        await Store.RecordSpoolReleasedAsync(release);
        Assert.Null(await Store.RequeueFailedJobAsync(job.Id));
        // Still listed (with nothing to retry, Cancel takes it off).
        Assert.Equal([job.Id], (await Store.FailedJobsAsync(10)).Select(j => j.Ref.Id));
    }
}
