using System.Net;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Server;
using CxrPacsAgent.Dicom.Network.Storage;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.Tests.TestSupport;

namespace CxrPacsAgent.Worker.Tests.Outbox;

/// <summary>
/// The running service's outbox: the SR and SC the pipeline queues wake the Quartz sender job, which delivers them;
/// the clean-up job then removes the spool and outbox files.
/// </summary>
public sealed class ServiceDeliveryTests : IAsyncLifetime
{
    private readonly TempFolder temp = new("delivery");
    private DicomServer pacs = null!;

    public async Task InitializeAsync()
    {
        var folder = temp.Sub("pacs");
        pacs = new DicomServer(new DicomServerOptions
        {
            BindAddress = IPAddress.Loopback,
            Port = 0,
            Policy = new AcceptorPolicy { AeTitle = "PACS", AcceptAnyStorageSopClass = true },
            Storage = new CxrPacsAgent.Dicom.Network.Storage.StorageOptions { OutputDirectory = folder, MinimumFreeDiskSpace = 0 },
        }, new FileStoreHandler(folder));
        await pacs.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await pacs.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task A_result_is_delivered_at_once_and_the_files_are_cleaned_up_after()
    {
        var file = TestInstances.FrontalDx(temp.Path, size: 256);
        var uid = TestInstances.SopInstanceUid(file);
        await using var agent = await AgentHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Destinations:0:Name"] = "pacs",
            ["Destinations:0:AeTitle"] = "PACS",
            ["Destinations:0:Host"] = "127.0.0.1",
            ["Destinations:0:Port"] = pacs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Long enough that only the wake-up can deliver within the test.
            ["Outbox:PollInterval"] = "00:10:00",
            ["Housekeeping:SpoolCleanupInterval"] = "00:00:01",
        });
        var started = DateTime.UtcNow;
        Assert.Equal(DimseStatus.Success, Assert.Single(await agent.SendAsync(file)).Status);
        var job = await agent.WaitForAsync(uid, timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(JobState.Completed, job.State);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
        // The SR and the SC are in the PACS, under the UIDs the JSON result lists; the JSON result itself stays here.
        var listed = agent.Result(uid)["documents"]!.AsArray().Select(d => ((string)d!["sopClassUid"]!, (string)d["sopInstanceUid"]!)).ToList();
        Assert.Equal(new[] { DicomUids.Comprehensive3DSRStorage, DicomUids.SecondaryCaptureImageStorage }.Order(), listed.Select(d => d.Item1).Order());
        Assert.Equal(listed.Select(d => d.Item2).Order(), Directory.GetFiles(Path.Combine(temp.Path, "pacs"), "*.dcm").Select(TestInstances.SopInstanceUid).Order());
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((Directory.GetFiles(agent.Paths.Spool, "*.dcm").Length > 0 || Directory.GetFiles(agent.Paths.Outbox, "*.dcm").Length > 0)
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.Empty(Directory.GetFiles(agent.Paths.Spool, "*.dcm"));
        Assert.Empty(Directory.GetFiles(agent.Paths.Outbox, "*.dcm"));
        Assert.Contains("cxr_agent_send_delivered_total{destination=\"pacs\"} 2", await agent.GetAsync("/metrics"), StringComparison.Ordinal);
    }
}
