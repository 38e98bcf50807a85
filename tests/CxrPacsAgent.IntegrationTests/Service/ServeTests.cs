using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;
using CxrPacsAgent.IntegrationTests.Service.TestSupport;
using CxrPacsAgent.Worker.Tests.TestSupport;

namespace CxrPacsAgent.IntegrationTests.Service;

/// <summary>`cxr-agent serve` as an administrator starts it: the embedded defaults, SIGTERM, and bad settings.</summary>
public sealed class ServeTests
{
    private static readonly string Agent = Path.Combine(AppContext.BaseDirectory, "cxr-agent.dll");

    [Fact]
    public async Task Serve_runs_on_its_embedded_defaults_keeps_its_data_under_data_and_stops_cleanly_on_SIGTERM()
    {
        using var temp = new TempFolder("serve-defaults");
        var dicomPort = Loopback.FreePort();
        var httpPort = Loopback.FreePort();
        // Only the ports are moved (tests never take fixed ports); everything else is the embedded default.
        await using var agent = PeerProcess.Start("dotnet", [Agent, "serve"], temp.Path, new Dictionary<string, string>
        {
            ["CXRAGENT_Dicom__Port"] = AgentProcess.Port(dicomPort),
            ["CXRAGENT_Http__Urls"] = $"http://127.0.0.1:{httpPort}",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };
        await AgentProcess.WaitReadyAsync(http, agent, () => agent.Output, TimeSpan.FromSeconds(60));
        var film = TestInstances.FrontalDx(temp.Sub("in"), film: 7, size: 512);
        var uid = TestInstances.SopInstanceUid(film);
        var (code, output) = await PeerProcess.RunAsync("storescu", ["-aet", "ROUTER", "-aec", "CXR_AGENT", Loopback.Host, AgentProcess.Port(dicomPort), film]);
        Assert.True(code == 0, output + agent.Output);

        var result = Path.Combine(temp.Path, "data", "results", uid + ".json");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(result) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.True(File.Exists(result), agent.Output);
        foreach (var folder in new[] { "spool", "state", "outbox", "dead-letter" })
        {
            Assert.True(Directory.Exists(Path.Combine(temp.Path, "data", folder)), folder);
        }
        var status = await http.GetFromJsonAsync<JsonNode>(new Uri("status", UriKind.Relative));
        Assert.Equal("CXR_AGENT", (string?)status!["dicom"]!["aeTitle"]);
        Assert.Equal(Inference.Packages.DefaultModel.Name, (string?)status["model"]!["name"]);

        agent.Terminate();
        Assert.Equal(0, await agent.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain(TestInstances.PatientName, agent.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestInstances.PatientId, agent.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(uid, agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_settings_stop_start_up_with_the_keys_named()
    {
        using var temp = new TempFolder("serve-bad");
        var config = Path.Combine(temp.Path, "bad.json");
        await File.WriteAllTextAsync(config, """{ "Dicom": { "Port": 70000, "IdleTimeout": "00:00:30" }, "Destinations": [ { "Name": "pacs", "Host": "127.0.0.1" } ] }""");
        var (code, output) = await PeerProcess.RunAsync("dotnet", [Agent, "serve", "--config", config]);
        Assert.Equal(2, code);
        foreach (var key in new[] { "Dicom:Port", "Dicom:IdleTimeout", "Destinations:0:AeTitle" })
        {
            Assert.Contains(key, output, StringComparison.Ordinal);
        }

        // A folder that is not a model package: checked when the package loads, with its own exit code.
        var notAPackage = temp.Sub("not-a-package");
        await File.WriteAllTextAsync(config, $$"""{ "Inference": { "ModelPath": "{{notAPackage}}" }, "Storage": { "Root": "{{temp.Sub("data")}}" }, "Dicom": { "Port": 0 }, "Http": { "Urls": "http://127.0.0.1:{{Loopback.FreePort()}}" } }""");
        (code, output) = await PeerProcess.RunAsync("dotnet", [Agent, "serve", "--config", config]);
        Assert.Equal(4, code);
        Assert.Contains("Inference:ModelPath", output, StringComparison.Ordinal);

        (code, output) = await PeerProcess.RunAsync("dotnet", [Agent, "serve", "--config", Path.Combine(temp.Path, "absent.json")]);
        Assert.Equal(2, code);
        Assert.Contains("--config", output, StringComparison.Ordinal);
    }
}
