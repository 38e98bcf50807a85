using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Network.Client;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;
using CxrPacsAgent.IntegrationTests.Service.TestSupport;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CxrPacsAgent.IntegrationTests.Service;

/// <summary>
/// The PACS goes away in the middle of a run and comes back: every SR and SC is delivered, once. The agent runs in
/// this process (so the test can watch its state store); Orthanc is the real PACS, killed and started again on the
/// same storage.
/// </summary>
public sealed class PacsOutageTests
{
    private const int Instances = 30;

    [Fact]
    public async Task Everything_queued_while_the_PACS_is_down_is_delivered_once_when_it_returns()
    {
        using var temp = new TempFolder("outage");
        await using var orthanc = new Orthanc();
        await orthanc.InitializeAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Root"] = temp.Sub("agent"),
            ["Dicom:Port"] = "0",
            ["Http:Urls"] = $"http://127.0.0.1:{Loopback.FreePort()}",
            ["Destinations:0:Name"] = "orthanc",
            ["Destinations:0:AeTitle"] = Orthanc.AeTitle,
            ["Destinations:0:Host"] = Loopback.Host,
            ["Destinations:0:Port"] = orthanc.Port,
            ["Outbox:FirstRetryDelay"] = "00:00:01",
            ["Outbox:MaxRetryDelay"] = "00:00:02",
            ["Outbox:PollInterval"] = "00:00:01",
            ["Outbox:ConnectTimeout"] = "00:00:02",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        await using var agent = AgentHost.Build(null, c => c.AddInMemoryCollection(settings));
        await agent.StartAsync();
        var store = agent.Services.GetRequiredService<IStateStore>();
        var port = agent.Services.GetRequiredService<Worker.Intake.DicomListenerService>().Port;
        var input = temp.Sub("in");
        var files = Enumerable.Range(0, Instances).Select(i => TestInstances.FrontalDx(input, film: 7, size: 128, seed: i)).ToList();
        var router = new DicomClientOptions { CallingAeTitle = "ROUTER", CalledAeTitle = AgentDefaults.AeTitle };

        // A third goes through while the PACS is up; then it is killed, and the rest arrive meanwhile.
        Assert.All(await StoreScu.SendAsync(Loopback.Host, port, files.Take(10), router), r => Assert.True(r.Succeeded, r.ToString()));
        await WaitAsync(async () => (await store.CountsAsync()).Count(JobState.Completed) == 10, "first ten delivered");
        await orthanc.StopAsync();
        Assert.All(await StoreScu.SendAsync(Loopback.Host, port, files.Skip(10), router), r => Assert.True(r.Succeeded, r.ToString()));
        await WaitAsync(async () => (await store.CountsAsync()).Count(JobState.Reported) == Instances - 10, "the rest waiting in the outbox");
        var waiting = await store.DueAsync(DateTimeOffset.UtcNow.AddMinutes(1), 100);
        Assert.Contains(waiting, i => i.Attempts > 0 && i.LastError!.StartsWith("ConnectionFailed", StringComparison.Ordinal));

        await orthanc.StartAsync();
        await WaitAsync(async () => (await store.CountsAsync()).Count(JobState.Completed) == Instances, "all delivered after the PACS returned");
        var counts = await store.CountsAsync();
        Assert.Equal((0L, 0L), (counts.OutboxPending, counts.DeadLetters));
        // Each instance's SR and SC, as its JSON result lists them, and nothing else.
        var results = agent.Services.GetRequiredService<AgentPaths>().Results;
        var expected = files.SelectMany(f => JsonNode.Parse(File.ReadAllText(Path.Combine(results, TestInstances.SopInstanceUid(f) + ".json")))!
            ["documents"]!.AsArray().Select(d => (string)d!["sopInstanceUid"]!)).Order().ToList();
        Assert.Equal(2 * Instances, expected.Count);
        var held = await orthanc.SopInstanceUidsAsync();
        Assert.Equal(expected, held.Order());
        await agent.StopAsync();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what);
            }
            await Task.Delay(100);
        }
    }
}
