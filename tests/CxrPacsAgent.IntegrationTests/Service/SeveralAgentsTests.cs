using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Network.Client;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;
using CxrPacsAgent.IntegrationTests.Service.TestSupport;
using CxrPacsAgent.Retrieval.Storage.Postgres;
using CxrPacsAgent.Testing;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Xunit.Abstractions;

namespace CxrPacsAgent.IntegrationTests.Service;

/// <summary>
/// Two `cxr-agent serve` processes sharing one site: a private PostgreSQL cluster for their state, one data folder (as
/// a shared mount would be), and Orthanc as the PACS. Studies sent to both, an agent killed, an agent paused past its
/// lease, and the database stopped under them: every study gets its results into the PACS once, and nothing is lost.
/// </summary>
[Collection(PostgresCluster.Collection)]
public sealed partial class SeveralAgentsTests(PostgresCluster cluster, Orthanc orthanc, ITestOutputHelper output) : IClassFixture<Orthanc>
{
    // Short, so the take-overs happen within the test: a claim lasts 4 s without a heartbeat; heartbeats every second.
    private const string Lease = "00:00:04";
    private static readonly DicomClientOptions Router = new() { CallingAeTitle = "ROUTER", CalledAeTitle = AgentProcess.AeTitle };

    private sealed record Site(AgentProcess A, AgentProcess B, string Root) : IAsyncDisposable
    {
        public JsonObject? Result(string sopInstanceUid)
        {
            var path = Path.Combine(Root, "results", sopInstanceUid + ".json");
            return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : null;
        }

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
        }
    }

    private async Task<Site> StartSiteAsync(TempFolder temp, JsonObject? retrieval = null, JsonObject? pipeline = null)
    {
        var database = await cluster.CreateDatabaseAsync();
        var shared = temp.Sub("shared");
        AgentProcess Agent(string name) => new(temp.Sub(name), new JsonObject
        {
            ["Storage"] = new JsonObject { ["Root"] = shared },
            ["State"] = new JsonObject
            {
                ["Provider"] = "postgresql", ["ConnectionString"] = database, ["Lease"] = Lease, ["Heartbeat"] = "00:00:01",
            },
            ["Destinations"] = new JsonArray(new JsonObject
            {
                ["Name"] = "orthanc", ["AeTitle"] = Orthanc.AeTitle, ["Host"] = Loopback.Host, ["Port"] = orthanc.DicomPort,
            }),
            ["Retrieval"] = retrieval?.DeepClone() ?? new JsonObject(),
            ["Pipeline"] = pipeline?.DeepClone() ?? new JsonObject(),
        });
        var site = new Site(Agent("a"), Agent("b"), shared);
        await Task.WhenAll(site.A.StartAsync(), site.B.StartAsync());
        return site;
    }

    private static List<string> Studies(string folder, int count, int size = 384) =>
        [.. Enumerable.Range(0, count).Select(i => TestInstances.FrontalDx(folder, film: i % 10 + 1, studyUid: DicomUid.Generate(), size: size, seed: i + 1))];

    private static async Task SendAsync(AgentProcess agent, IEnumerable<string> files)
    {
        var results = await StoreScu.SendAsync(Loopback.Host, agent.DicomPort, files, Router);
        Assert.All(results, r => Assert.True(r.Status == DimseStatus.Success, $"{r.Status} {r.Error}\n{agent.Log}"));
    }

    /// <summary>Waits until every job in the shared store is final and nothing waits in the outbox (asked of one agent).</summary>
    private static Task IdleAsync(AgentProcess agent, int seconds = 120) => agent.WaitIdleAsync(TimeSpan.FromSeconds(seconds));

    private static async Task<double> MetricAsync(AgentProcess agent, string name)
    {
        var text = await agent.MetricsAsync();
        return MetricLine().Matches(text).Where(m => m.Groups[1].Value == name)
            .Sum(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^([a-z_]+)(?:\{[^}]*\})? ([0-9.eE+-]+)$", RegexOptions.Multiline)]
    private static partial Regex MetricLine();

    /// <summary>The SR and SC of every study, once each, in the PACS; each study's result names them.</summary>
    private async Task AssertInPacsOnceAsync(Site site, IReadOnlyList<string> files, IReadOnlyCollection<string> before)
    {
        var added = (await orthanc.SopInstanceUidsAsync()).Except(before).ToList();
        var expected = new List<string>();
        foreach (var file in files)
        {
            var result = site.Result(TestInstances.SopInstanceUid(file));
            Assert.True(result is not null, $"no result for {file}\n{site.A.Log}\n{site.B.Log}");
            expected.AddRange(result["documents"]!.AsArray().Select(d => (string)d!["sopInstanceUid"]!));
        }
        Assert.Equal(2 * files.Count, expected.Distinct().Count());
        Assert.Equal(expected.Order(StringComparer.Ordinal), added.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Studies_sent_to_both_agents_each_reach_the_PACS_once()
    {
        using var temp = new TempFolder("agents-rr");
        // The issue's 200; small films, so the two agents' share of the suite stays about a minute.
        var files = Studies(temp.Sub("in"), 200, size: 256);
        await using var site = await StartSiteAsync(temp);
        var before = await orthanc.SopInstanceUidsAsync();

        // Round robin, as a load balancer in front of the two would deal them.
        var sent = Stopwatch.StartNew();
        await Task.WhenAll(
            SendAsync(site.A, files.Where((_, i) => i % 2 == 0)),
            SendAsync(site.B, files.Where((_, i) => i % 2 == 1)));
        await IdleAsync(site.A, 300);
        output.WriteLine($"{files.Count} studies, two agents: all results delivered {sent.Elapsed.TotalSeconds:0.0} s after the first was sent");

        await AssertInPacsOnceAsync(site, files, before);
        var (deliveredA, deliveredB) = (await MetricAsync(site.A, "cxr_agent_send_delivered_total"), await MetricAsync(site.B, "cxr_agent_send_delivered_total"));
        Assert.Equal(2 * files.Count, deliveredA + deliveredB);
        Assert.True(await MetricAsync(site.A, "cxr_agent_instances_processed_total") > 0);
        Assert.True(await MetricAsync(site.B, "cxr_agent_instances_processed_total") > 0);
        Assert.Equal(0, await MetricAsync(site.A, "cxr_agent_fenced_writes_total") + await MetricAsync(site.B, "cxr_agent_fenced_writes_total"));
        var status = await site.B.StatusAsync();
        Assert.Equal(2, status["agents"]!.AsArray().Count);
        Assert.Equal(files.Count, (long)status["jobs"]!["completed"]!);
        Assert.Equal(1, await MetricAsync(site.A, "cxr_agent_housekeeping_leader") + await MetricAsync(site.B, "cxr_agent_housekeeping_leader"));
    }

    [Fact]
    public async Task When_one_agent_is_killed_mid_run_the_other_finishes_its_studies()
    {
        using var temp = new TempFolder("agents-kill");
        var files = Studies(temp.Sub("in"), 10);
        await using var site = await StartSiteAsync(temp);
        var before = await orthanc.SopInstanceUidsAsync();

        await SendAsync(site.A, files);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await MetricAsync(site.A, "cxr_agent_instances_processed_total") < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        await site.A.KillAsync();
        var killed = Stopwatch.StartNew();
        await IdleAsync(site.B);
        output.WriteLine($"the survivor finished the killed agent's work {killed.Elapsed.TotalSeconds:0.0} s after the kill (lease {Lease}, heartbeat 1 s)");

        await AssertInPacsOnceAsync(site, files, before);
        Assert.True(await MetricAsync(site.B, "cxr_agent_instances_processed_total") > 0, site.B.Log);
        Assert.Equal(files.Count, (long)(await site.B.StatusAsync())["jobs"]!["completed"]!);
        Assert.Contains("Claimed", site.B.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_stopped_with_SIGTERM_finishes_the_studies_in_hand_and_hands_the_rest_over()
    {
        using var temp = new TempFolder("agents-term");
        var files = Studies(temp.Sub("in"), 20);
        // One study between stages: the pipeline holds about a dozen, the rest wait in A's queue when it is stopped.
        await using var site = await StartSiteAsync(temp, pipeline: new JsonObject { ["QueueCapacity"] = 1, ["DrainTimeout"] = "00:00:20" });
        var before = await orthanc.SopInstanceUidsAsync();

        await SendAsync(site.A, files);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await MetricAsync(site.A, "cxr_agent_instances_processed_total") < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal(0, await site.A.StopAsync());
        await IdleAsync(site.B);

        var logA = site.A.Log;
        var drained = DrainedLine().Match(logA);
        Assert.True(drained.Success, logA);
        var byA = ProcessedJobs(logA);
        var byB = ProcessedJobs(site.B.Log);
        output.WriteLine($"A finished {drained.Groups[1].Value} studies in its pipeline after SIGTERM in {drained.Groups[2].Value} s; A processed {byA.Count}, B {byB.Count}");
        // What A held when stopped it finished itself (after the drain began); what it had not started went to B; no study twice.
        Assert.True(int.Parse(drained.Groups[1].Value, CultureInfo.InvariantCulture) >= 1, logA);
        Assert.NotEmpty(ProcessedJobs(logA[logA.IndexOf("Draining:", StringComparison.Ordinal)..]));
        Assert.Empty(byA.Intersect(byB));
        Assert.Equal(files.Count, byA.Union(byB).Count());
        Assert.NotEmpty(byB);
        Assert.Contains("Released this agent's leases", logA, StringComparison.Ordinal);
        await AssertInPacsOnceAsync(site, files, before);
    }

    /// <summary>The jobs a log says were processed through the last stage.</summary>
    private static List<long> ProcessedJobs(string log) =>
        [.. ProcessedLine().Matches(log).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"Processed \S+ \(job (\d+)\)")]
    private static partial Regex ProcessedLine();

    [GeneratedRegex(@"Drained: (\d+) studies finished and their results delivered in ([0-9.]+) s")]
    private static partial Regex DrainedLine();

    [Fact]
    public async Task An_agent_paused_past_its_lease_finds_its_late_record_refused_by_the_fence()
    {
        using var temp = new TempFolder("agents-stop");
        var file = Studies(temp.Sub("in"), 1, size: 1400)[0];
        await using var site = await StartSiteAsync(temp);
        var before = await orthanc.SopInstanceUidsAsync();

        await SendAsync(site.A, [file]);
        site.A.Signal("STOP"); // mid-processing: the job is A's, under A's lease
        try
        {
            await IdleAsync(site.B, 60);
            Assert.Equal(JsonValue.Create("completed")!.ToJsonString(), (await site.B.StatusAsync())["recent"]![0]!["state"]!.ToJsonString());
        }
        finally
        {
            site.A.Signal("CONT");
        }
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await MetricAsync(site.A, "cxr_agent_fenced_writes_total") < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.True(await MetricAsync(site.A, "cxr_agent_fenced_writes_total") >= 1, site.A.Log);
        Assert.Contains("Refused a late record for job", site.A.Log, StringComparison.Ordinal);
        await IdleAsync(site.A, 30);
        await AssertInPacsOnceAsync(site, [file], before);
    }

    [Fact]
    public async Task While_the_database_is_away_a_store_is_refused_with_A700_and_the_agents_recover_by_themselves()
    {
        using var temp = new TempFolder("agents-pg");
        var files = Studies(temp.Sub("in"), 4);
        await using var site = await StartSiteAsync(temp);
        var before = await orthanc.SopInstanceUidsAsync();
        await SendAsync(site.A, files.Take(2));

        await cluster.StopImmediatelyAsync();
        var away = Stopwatch.StartNew();
        try
        {
            var refused = Assert.Single(await StoreScu.SendAsync(Loopback.Host, site.B.DicomPort, [files[2]], Router));
            Assert.Equal(DimseStatus.OutOfResources, refused.Status);
            await Task.Delay(TimeSpan.FromSeconds(10) - away.Elapsed);
        }
        finally
        {
            await cluster.StartAsync();
        }

        // The refused instance is sent again, as a router does; nothing else needs a hand.
        await SendAsync(site.B, files.Skip(2));
        await IdleAsync(site.A);
        await AssertInPacsOnceAsync(site, files, before);
    }

    [SkippableTheory]
    [InlineData("index")]
    [InlineData("pgvector")]
    public async Task A_study_scored_on_one_agent_is_among_the_similar_studies_the_other_finds_at_once_but_not_its_own_study(string search)
    {
        if (search == "pgvector")
        {
            Skip.If(!await PgvectorSearch.ProbeAsync(await cluster.CreateDatabaseAsync()), PostgresCluster.PgvectorNotInstalled);
        }
        using var temp = new TempFolder("agents-similar");
        var input = temp.Sub("in");
        // The test films share one patient id: the patient filter would leave nothing to find.
        await using var site = await StartSiteAsync(temp, new JsonObject { ["ExcludeSamePatient"] = false, ["Search"] = search });
        // Index: B opens its index with its first study; from then on only the other agent's notifications bring it news.
        // pgvector: both search the database, which has A's entries as soon as they commit.
        await SendAsync(site.B, [TestInstances.FrontalDx(input, film: 3, studyUid: DicomUid.Generate(), size: 384, seed: 50)]);
        await IdleAsync(site.A);

        var (earlier, current) = (DicomUid.Generate(), DicomUid.Generate());
        await SendAsync(site.A, [
            TestInstances.FrontalDx(input, film: 7, studyUid: earlier, size: 384, seed: 51),
            TestInstances.FrontalDx(input, film: 7, studyUid: current, size: 384, seed: 52)]);
        await IdleAsync(site.A);
        var scoredOnA = Stopwatch.StartNew();
        // Another image of the current study arrives at B: A's earlier study is a neighbour, the study itself is not.
        var image = TestInstances.FrontalDx(input, film: 7, studyUid: current, size: 384, seed: 53);
        await SendAsync(site.B, [image]);
        await IdleAsync(site.A);
        output.WriteLine($"B had received, scored and searched the new image {scoredOnA.Elapsed.TotalSeconds:0.0} s after A's results were complete");

        var neighbours = site.Result(TestInstances.SopInstanceUid(image))!["similarStudies"]!["neighbours"]!.AsArray()
            .Select(n => (string)n!["studyInstanceUid"]!).ToList();
        Assert.Contains(earlier, neighbours);
        Assert.DoesNotContain(current, neighbours);
    }
}
