using CxrPacsAgent.Worker.State;

namespace CxrPacsAgent.Worker.Tests.State;

/// <summary>The admin page's part of the contract (<see cref="IAdminStore"/>): timelines, dead letters, throughput, audit.</summary>
public abstract partial class StateStoreContract
{
    /// <summary>A scored job with an SR and an SC queued for each destination.</summary>
    private async Task<JobRef> ReportedJobAsync(params string[] destinations)
    {
        var job = (await Store.RecordReceivedAsync(Instance())).Job;
        Assert.True(await Store.RecordScoredAsync(job, Score()));
        Assert.True(await Store.RecordReportedAsync(job, [Sr, Sc], destinations));
        return job;
    }

    private async Task<List<OutboxItem>> ItemsOfAsync(JobRef job) =>
        [.. (await Store.DueAsync(Time.GetUtcNow().AddYears(1), 100)).Where(i => i.JobId == job.Id)];

    [Fact]
    public async Task A_job_records_when_each_stage_was_reached_and_its_deliveries_settle_with_times()
    {
        var received = Time.GetUtcNow();
        var job = (await Store.RecordReceivedAsync(Instance())).Job;
        Time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await Store.RecordScoredAsync(job, Score()));
        var scored = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(await Store.RecordReportedAsync(job, [Sr, Sc], ["PACS"]));
        var reported = Time.GetUtcNow();
        var record = (await Store.GetAsync(job.Id))!;
        Assert.Equal((received, (DateTimeOffset?)scored, (DateTimeOffset?)reported), (record.ReceivedAt, record.ScoredAt, record.ReportedAt));

        var items = await ItemsOfAsync(job);
        Time.Advance(TimeSpan.FromSeconds(4));
        await Store.RecordDeliveredAsync(items[0].Id);
        await Store.RecordDeadLetterAsync(items[1].Id, "A900: refused");
        var deliveries = await Store.DeliveriesAsync(job.Id);
        Assert.Equal([items[0].Id, items[1].Id], deliveries.Select(d => d.Item.Id));
        Assert.Equal([OutboxItemState.Delivered, OutboxItemState.DeadLetter], deliveries.Select(d => d.State));
        Assert.All(deliveries, d => Assert.Equal((Time.GetUtcNow(), 1, 1), (d.SettledAt!.Value, d.Item.Attempts, d.JobVersion)));
        Assert.Equal(("PACS", Sc, "A900: refused"), (deliveries[1].Item.Destination, deliveries[1].Item.Document, deliveries[1].Item.LastError));
        Assert.Equal(deliveries[1], await Store.DeliveryAsync(items[1].Id));
        Assert.Null(await Store.DeliveryAsync(9999));
        Assert.Empty(await Store.DeliveriesAsync(9999));

        // A new version starts its stage times again.
        await Store.RecordReceivedAsync(Instance(record.SopInstanceUid, "bbbbbbbbbbbbbbbbbbbb"));
        record = (await Store.GetAsync(job.Id))!;
        Assert.Equal((null, null), (record.ScoredAt, record.ReportedAt));
    }

    [Fact]
    public async Task A_retried_dead_letter_is_due_now_with_a_fresh_age_and_delivering_it_completes_the_job()
    {
        var job = await ReportedJobAsync("PACS");
        var items = await ItemsOfAsync(job);
        await Store.RecordDeliveredAsync(items[0].Id);
        await Store.RecordDeadLetterAsync(items[1].Id, "MaxAgeExceeded: too old");
        Assert.Equal(JobState.Undelivered, (await Store.GetAsync(job.Id))!.State);
        Assert.Equal([items[1].Id], (await Store.DeadLettersAsync(10)).Select(d => d.Item.Id));

        Time.Advance(TimeSpan.FromHours(1));
        Assert.True(await Store.RequeueDeadLetterAsync(items[1].Id));
        Assert.False(await Store.RequeueDeadLetterAsync(items[1].Id));
        Assert.Equal(JobState.Reported, (await Store.GetAsync(job.Id))!.State);
        Assert.Empty(await Store.DeadLettersAsync(10));
        var due = Assert.Single(await Store.DueAsync(Time.GetUtcNow(), 10));
        Assert.Equal((items[1].Id, Time.GetUtcNow(), Time.GetUtcNow(), 1), (due.Id, due.CreatedAt, due.NextAttemptAt, due.Attempts));
        var counts = await Store.CountsAsync();
        Assert.Equal((1L, 0L), (counts.OutboxPending, counts.DeadLetters));
        // Pending again, so its file is not released while it waits.
        Assert.Equal([Sr.File], await Store.ReleasableOutboxFilesAsync(10));

        await Store.RecordDeliveredAsync(items[1].Id);
        Assert.Equal(JobState.Completed, (await Store.GetAsync(job.Id))!.State);
        Assert.Equal([Sc.File, Sr.File], (await Store.ReleasableOutboxFilesAsync(10)).Order());
    }

    [Fact]
    public async Task Retrying_one_of_two_dead_letters_leaves_the_job_waiting_and_cancelling_the_other_keeps_it_undelivered()
    {
        var job = await ReportedJobAsync("PACS");
        var items = await ItemsOfAsync(job);
        await Store.RecordDeadLetterAsync(items[0].Id, "A700: out of resources");
        await Store.RecordDeadLetterAsync(items[1].Id, "A700: out of resources");
        Assert.True(await Store.RequeueDeadLetterAsync(items[0].Id));
        Assert.True(await Store.CancelDeadLetterAsync(items[1].Id));
        Assert.False(await Store.CancelDeadLetterAsync(items[1].Id));
        Assert.False(await Store.CancelDeadLetterAsync(items[0].Id));
        Assert.Equal(OutboxItemState.Cancelled, (await Store.DeliveryAsync(items[1].Id))!.State);
        Assert.Empty(await Store.DeadLettersAsync(10));
        Assert.Equal(JobState.Reported, (await Store.GetAsync(job.Id))!.State);

        await Store.RecordDeliveredAsync(items[0].Id);
        // The cancelled one was not delivered: the job stays undelivered, but nothing is listed as a dead letter.
        Assert.Equal(JobState.Undelivered, (await Store.GetAsync(job.Id))!.State);
        Assert.Equal(0L, (await Store.CountsAsync()).DeadLetters);
        Assert.False(await Store.RequeueDeadLetterAsync(items[1].Id));
    }

    [Fact]
    public async Task Pending_delivered_superseded_and_unknown_items_are_neither_retried_nor_cancelled()
    {
        var job = await ReportedJobAsync("PACS", "ARCHIVE");
        var items = await ItemsOfAsync(job);
        await Store.RecordDeliveredAsync(items[0].Id);
        await Store.RecordDeadLetterAsync(items[1].Id, "A900: refused");
        foreach (var id in new[] { items[0].Id, items[2].Id, 9999L })
        {
            Assert.False(await Store.RequeueDeadLetterAsync(id));
            Assert.False(await Store.CancelDeadLetterAsync(id));
        }
        // A newer copy of the instance replaces the job: the old copy's dead letter cannot be sent again.
        var uid = (await Store.GetAsync(job.Id))!.SopInstanceUid;
        await Store.RecordReceivedAsync(Instance(uid, "cccccccccccccccccccc"));
        Assert.False(await Store.RequeueDeadLetterAsync(items[1].Id));
        Assert.Equal(OutboxItemState.DeadLetter, (await Store.DeliveryAsync(items[1].Id))!.State);
        Assert.True(await Store.CancelDeadLetterAsync(items[1].Id));
    }

    [Fact]
    public async Task Dead_letters_are_listed_most_recent_first_up_to_the_limit()
    {
        var first = await ItemsOfAsync(await ReportedJobAsync("PACS"));
        var second = await ItemsOfAsync(await ReportedJobAsync("PACS"));
        foreach (var item in first.Concat(second))
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Store.RecordDeadLetterAsync(item.Id, "A900: refused");
        }
        var letters = await Store.DeadLettersAsync(3);
        Assert.Equal([second[1].Id, second[0].Id, first[1].Id], letters.Select(d => d.Item.Id));
        Assert.All(letters, d => Assert.Equal(OutboxItemState.DeadLetter, d.State));
    }

    [Fact]
    public async Task Throughput_counts_received_scored_and_delivered_in_their_buckets()
    {
        var start = Time.GetUtcNow();
        var a = (await Store.RecordReceivedAsync(Instance())).Job;
        Time.Advance(TimeSpan.FromMinutes(30));
        var b = (await Store.RecordReceivedAsync(Instance())).Job;
        Assert.True(await Store.RecordScoredAsync(a, Score()));
        Time.Advance(TimeSpan.FromMinutes(45));
        Assert.True(await Store.RecordScoredAsync(b, Score()));
        Assert.True(await Store.RecordReportedAsync(b, [Sr, Sc], ["PACS"]));
        foreach (var item in await ItemsOfAsync(b))
        {
            await Store.RecordDeliveredAsync(item.Id);
        }
        Time.Advance(TimeSpan.FromHours(5));
        await Store.RecordReceivedAsync(Instance());

        var buckets = await Store.ThroughputAsync(start, TimeSpan.FromHours(1), 3);
        Assert.Equal([start, start.AddHours(1), start.AddHours(2)], buckets.Select(x => x.Start));
        Assert.Equal([(2L, 1L, 0L), (0L, 1L, 2L), (0L, 0L, 0L)], buckets.Select(x => (x.Received, x.Scored, x.Delivered)));
        Assert.Empty(await Store.ThroughputAsync(start, TimeSpan.FromHours(1), 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ThroughputAsync(start, TimeSpan.Zero, 3));
    }

    [Fact]
    public async Task The_audit_log_keeps_every_entry_as_written_newest_first()
    {
        Assert.Empty(await Store.AuditAsync(10));
        var first = new AuditEntry(Time.GetUtcNow(), "admin", "sign-in", "admin page", "done", "127.0.0.1");
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = new AuditEntry(Time.GetUtcNow(), "admin", "retry", "outbox item 7", "done", "::1");
        // Same instant, written later: still listed first.
        var third = second with { Action = "cancel", Target = "outbox item 8", Outcome = "no such item" };
        foreach (var entry in new[] { first, second, third })
        {
            await Store.RecordAuditAsync(entry);
        }
        Assert.Equal([third, second, first], await Store.AuditAsync(10));
        Assert.Equal([third], await Store.AuditAsync(1));
    }
}
