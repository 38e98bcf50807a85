using System.Collections.Concurrent;
using CxrPacsAgent.Testing;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.State.Postgres;

namespace CxrPacsAgent.Worker.Tests.State.Postgres;

/// <summary>
/// Several agents on one database, each a store of its own (as each agent process has): claims do not overlap, a
/// lease that runs out passes to another agent, and the first one's late records are refused by the fence.
/// </summary>
[Collection(PostgresCluster.Collection)]
public sealed class LeaseTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly TimeSpan ShortLease = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PastLease = TimeSpan.FromSeconds(1.5);
    private static readonly ScoreRecord Score = new(0.5f, "PNEUMONIA", 0.5, "cxr-test", "1.0.0", [1f, 2f], LossySource: false);
    private readonly List<PostgresStateStore> agents = [];
    private readonly ConcurrentQueue<FencedWrite> fenced = new();
    private string database = "";
    private int sequence;

    public async Task InitializeAsync() => database = await cluster.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }
    }

    private async Task<PostgresStateStore> AgentAsync(TimeSpan lease)
    {
        var agent = new PostgresStateStore(database, lease, onFenced: fenced.Enqueue);
        agents.Add(agent);
        await agent.InitializeAsync();
        return agent;
    }

    private SpooledInstance Instance()
    {
        var uid = $"1.2.826.0.1.3680043.10.77.{Interlocked.Increment(ref sequence)}";
        return new SpooledInstance(uid, "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.1.2.1", uid + ".dcm", "cccccccccccccccccccc", 10, "ROUTER");
    }

    [Fact]
    public async Task A_job_held_under_a_live_lease_is_not_claimed_by_another_agent()
    {
        var a = await AgentAsync(TimeSpan.FromSeconds(30));
        var b = await AgentAsync(TimeSpan.FromSeconds(30));
        var job = (await a.RecordReceivedAsync(Instance())).Job;
        Assert.Empty(await b.ClaimAsync(10));
        Assert.Empty(await b.UnfinishedAsync());
        Assert.False(await b.RecordScoredAsync(job, Score));
        Assert.True(await a.RecordScoredAsync(job, Score));
        var refused = Assert.Single(fenced);
        Assert.Equal(("job", job.Id, -1L, 1L, a.AgentId), (refused.Kind, refused.Id, refused.OurFence, refused.CurrentFence, refused.Holder));
        await a.RenewAsync();
        var presence = await a.AgentsAsync();
        Assert.Equal(new[] { a.AgentId, b.AgentId }.Order(StringComparer.Ordinal), presence.Select(p => p.AgentId).Order(StringComparer.Ordinal));
        Assert.Equal(1, presence.Single(p => p.AgentId == a.AgentId).JobClaims);
    }

    [Fact]
    public async Task A_lease_that_runs_out_passes_to_another_agent_and_the_late_record_is_refused()
    {
        var a = await AgentAsync(ShortLease);
        var b = await AgentAsync(ShortLease);
        var job = (await a.RecordReceivedAsync(Instance())).Job;
        await Task.Delay(PastLease); // a is paused: no heartbeat
        Assert.Equal([job], await b.ClaimAsync(10));

        Assert.False(await a.RecordScoredAsync(job, Score));
        var refused = Assert.Single(fenced);
        Assert.Equal(("job", job.Id, 1L, 2L, b.AgentId), (refused.Kind, refused.Id, refused.OurFence, refused.CurrentFence, refused.Holder));
        Assert.True(await b.RecordScoredAsync(job, Score));
        Assert.True(await b.RecordReportedAsync(job, [], []));
        Assert.False(await a.RecordSkippedAsync(job, "NotFrontal", "late"));
        Assert.Equal(JobState.Completed, (await a.GetAsync(job.Id))!.State);
        // The refused agent forgets the claim: its heartbeat renews nothing.
        Assert.Equal(0, (await a.RenewAsync()).Renewed);
    }

    [Fact]
    public async Task Heartbeats_keep_a_lease_and_a_record_after_the_lease_ran_out_is_refused_even_when_nobody_took_it()
    {
        var a = await AgentAsync(ShortLease);
        var b = await AgentAsync(ShortLease);
        var kept = (await a.RecordReceivedAsync(Instance())).Job;
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            Assert.Equal(1, (await a.RenewAsync()).Renewed);
        }
        Assert.Empty(await b.ClaimAsync(10));
        Assert.True(await a.RecordScoredAsync(kept, Score));

        await Task.Delay(PastLease);
        Assert.False(await a.RecordIndexedAsync(kept, "[]"));
        Assert.Equal(a.AgentId, Assert.Single(fenced).Holder);
        // The job is not stuck with a: once refused, a claims it afresh like anyone else.
        Assert.Equal([kept], await a.ClaimAsync(10));
        Assert.True(await a.RecordIndexedAsync(kept, "[]"));
    }

    [Fact]
    public async Task Agents_claiming_at_once_take_different_jobs_and_a_drained_agent_hands_its_jobs_over_at_once()
    {
        var intake = await AgentAsync(TimeSpan.FromSeconds(30));
        var jobs = new List<JobRef>();
        for (var i = 0; i < 40; i++)
        {
            jobs.Add((await intake.RecordReceivedAsync(Instance())).Job);
        }
        await intake.ReleaseAllAsync();
        var a = await AgentAsync(TimeSpan.FromSeconds(30));
        var b = await AgentAsync(TimeSpan.FromSeconds(30));
        var claims = await Task.WhenAll(Task.Run(() => a.ClaimAsync(40)), Task.Run(() => b.ClaimAsync(40)));
        Assert.Empty(claims[0].Intersect(claims[1]));
        Assert.Equal(jobs, claims[0].Concat(claims[1]).OrderBy(j => j.Id));

        await a.ReleaseAllAsync();
        Assert.Equal(claims[0], await b.ClaimAsync(40));
        Assert.Equal(40, (await b.UnfinishedAsync()).Count);
    }

    [Fact]
    public async Task Outbox_items_are_sent_by_one_agent_and_a_late_delivery_record_is_refused()
    {
        var a = await AgentAsync(ShortLease);
        var b = await AgentAsync(ShortLease);
        var job = (await a.RecordReceivedAsync(Instance())).Job;
        Assert.True(await a.RecordReportedAsync(job, [new OutboxDocument("sr.dcm", "1.2.3.4", "1.2.840.10008.5.1.4.1.1.88.34")], ["PACS"]));
        var now = DateTimeOffset.UtcNow.AddMinutes(1);
        var item = Assert.Single(await a.DueAsync(now, 10));
        Assert.Empty(await b.DueAsync(now, 10));

        await Task.Delay(PastLease);
        Assert.Equal(item.Id, Assert.Single(await b.DueAsync(now, 10)).Id);
        await a.RecordDeliveredAsync(item.Id);
        var refused = Assert.Single(fenced);
        Assert.Equal(("outbox", item.Id, b.AgentId), (refused.Kind, refused.Id, refused.Holder));
        Assert.Equal(JobState.Reported, (await a.GetAsync(job.Id))!.State);
        await b.RecordDeliveredAsync(item.Id);
        Assert.Equal(JobState.Completed, (await a.GetAsync(job.Id))!.State);
    }
}
