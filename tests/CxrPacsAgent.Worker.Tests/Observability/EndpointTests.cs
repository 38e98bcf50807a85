using System.Net;
using System.Text.Json.Nodes;
using CxrPacsAgent.Worker.Tests.TestSupport;

namespace CxrPacsAgent.Worker.Tests.Observability;

/// <summary>/health, /metrics and /status of a running service.</summary>
public sealed class EndpointTests : IDisposable
{
    private readonly TempFolder temp = new("endpoints");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Health_is_live_and_ready_once_started()
    {
        await using var agent = await AgentHarness.StartAsync();
        using var live = await agent.Http.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await agent.Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", (string?)body["status"]);
        Assert.True((long)body["checks"]!["ready"]!["data"]!["freeBytes"]! > 0);
    }

    [Fact]
    public async Task Not_ready_when_free_space_is_below_the_minimum()
    {
        await using var agent = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["Storage:MinimumFreeSpaceMb"] = "1000000" });
        using var ready = await agent.Http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("Storage:MinimumFreeSpaceMb", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var live = await agent.Http.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Metrics_and_status_describe_what_happened_without_patient_data()
    {
        var file = TestInstances.FrontalDx(temp.Path, size: 512);
        var uid = TestInstances.SopInstanceUid(file);
        await using var agent = await AgentHarness.StartAsync();
        await agent.SendAsync(file);
        await agent.WaitForAsync(uid);

        var metrics = await agent.GetAsync("/metrics");
        foreach (var name in new[]
                 {
                     "cxr_agent_instances_received_total", "cxr_agent_instances_processed_total", "cxr_agent_stage_duration_seconds_bucket{stage=\"infer\"",
                     "cxr_agent_queue_depth{queue=\"spool\"}", "cxr_agent_jobs{state=\"Completed\"} 1", "cxr_agent_associations_total{result=\"accepted\"} 1",
                     "cxr_agent_outbox_pending 0", "cxr_agent_processing_seconds_count 1",
                 })
        {
            Assert.Contains(name, metrics, StringComparison.Ordinal);
        }

        var status = JsonNode.Parse(await agent.GetAsync("/status"))!;
        Assert.Equal("CXR_AGENT", (string?)status["dicom"]!["aeTitle"]);
        Assert.Equal(agent.DicomPort, (int)status["dicom"]!["port"]!);
        Assert.Equal(Inference.Packages.DefaultModel.Name, (string?)status["model"]!["name"]);
        Assert.Equal(1, (int)status["jobs"]!["completed"]!);
        Assert.Equal(0, (int)status["queues"]!["spool"]!);
        var recent = Assert.Single(status["recent"]!.AsArray());
        Assert.Equal(uid, (string?)recent!["sopInstanceUid"]);
        Assert.Equal("completed", (string?)recent["state"]);
        Assert.InRange((double)recent["score"]!, 0, 1);
        var text = status.ToJsonString();
        Assert.DoesNotContain(TestInstances.PatientName, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestInstances.PatientId, text, StringComparison.OrdinalIgnoreCase);
    }
}
