using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Network.Client;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;
using CxrPacsAgent.IntegrationTests.Service.TestSupport;
using CxrPacsAgent.Worker.Tests.TestSupport;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.State.Sqlite;
using Xunit.Abstractions;

namespace CxrPacsAgent.IntegrationTests.Service;

/// <summary>
/// Success means durable: 200 instances are sent while the agent is killed with SIGKILL at random moments and started
/// again. A router sends again whatever was not answered success; at the end every instance that got a success has
/// exactly one result — its JSON result, and its SR and SC once in Orthanc — and nothing is missing or doubled.
/// </summary>
public sealed class CrashSafetyTests(Orthanc orthanc, ITestOutputHelper output) : IClassFixture<Orthanc>
{
    private const int Instances = 200;
    private const int Kills = 6;

    [Fact]
    public async Task Killing_the_agent_at_random_moments_loses_nothing_and_doubles_nothing()
    {
        using var temp = new TempFolder("crash");
        var input = temp.Sub("in");
        var files = Enumerable.Range(0, Instances).Select(i => TestInstances.FrontalDx(input, film: 7, size: 128, seed: i)).ToList();
        var uids = files.ToDictionary(f => f, TestInstances.SopInstanceUid);
        await using var agent = new AgentProcess(temp.Sub("agent"), new JsonObject
        {
            ["Destinations"] = new JsonArray(new JsonObject
            {
                ["Name"] = "orthanc", ["AeTitle"] = Orthanc.AeTitle, ["Host"] = Loopback.Host, ["Port"] = orthanc.DicomPort,
            }),
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } },
        });
        await agent.StartAsync();
        var before = await orthanc.SopInstanceUidsAsync();

        var seed = Environment.TickCount;
        output.WriteLine($"kill schedule seed {seed}");
        var random = new Random(seed);
        var acknowledged = new HashSet<string>();
        var pending = new List<string>(files);
        using var done = new CancellationTokenSource();
        var kills = 0;
        var killer = Task.Run(async () =>
        {
            while (kills < Kills)
            {
                await Task.Delay(random.Next(100, 1000));
                await agent.KillAsync();
                kills++;
                await agent.StartAsync();
            }
        });

        // The router: ten instances an association, and whatever was not answered success goes again.
        var client = new DicomClientOptions { CallingAeTitle = "ROUTER", CalledAeTitle = AgentProcess.AeTitle, ConnectTimeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while ((pending.Count > 0 || !killer.IsCompleted) && DateTime.UtcNow < deadline)
        {
            var batch = pending.Count > 0 ? pending.Take(10).ToList() : [files[random.Next(files.Count)]];
            var answers = await StoreScu.SendAsync(Loopback.Host, agent.DicomPort, batch, client);
            foreach (var r in answers.Where(r => r.Succeeded))
            {
                acknowledged.Add(r.Path);
                pending.Remove(r.Path);
            }
            if (answers.All(r => !r.Succeeded))
            {
                await Task.Delay(200);
            }
        }
        await killer;
        Assert.Empty(pending);
        Assert.True(kills >= 5);
        await agent.WaitIdleAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(0, await agent.StopAsync());
        output.WriteLine($"{agent.Starts} starts; {acknowledged.Count} acknowledged");

        // Exactly one result per acknowledged instance, and none for anything else.
        var results = Directory.GetFiles(agent.Results, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order().ToList();
        Assert.Equal(acknowledged.Select(f => uids[f]).Order(), results);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var store = new SqliteStateStore(Path.Combine(agent.Data, "state", "agent.db"));
        var counts = await store.CountsAsync();
        Assert.Equal(Instances, counts.Count(JobState.Completed));
        Assert.Equal(Instances, counts.Jobs.Values.Sum());
        Assert.Equal((0L, 0L), (counts.OutboxPending, counts.DeadLetters));
        foreach (var uid in uids.Values)
        {
            var job = await store.FindAsync(uid);
            // Sent again after a kill, an instance is a duplicate: never a second version, never scored twice.
            Assert.Equal(1, job!.Ref.Version);
        }
        // Each instance's SR and SC, as its result lists them, are in the PACS exactly once, and nothing else arrived.
        var documents = results.SelectMany(uid => agent.Result(uid)!["documents"]!.AsArray().Select(d => (string)d!["sopInstanceUid"]!)).Order().ToList();
        Assert.Equal(2 * Instances, documents.Count);
        var added = (await orthanc.SopInstanceUidsAsync()).Except(before).Order().ToList();
        Assert.Equal(documents, added);
        Assert.Empty(Directory.GetFiles(Path.Combine(agent.Data, "spool", "tmp")));
    }
}
