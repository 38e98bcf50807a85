using System.Net;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Server;
using CxrPacsAgent.Dicom.Network.Storage;
using CxrPacsAgent.Worker.Pipeline.Stages;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CxrPacsAgent.Worker.Tests.Outbox;

/// <summary>
/// The running service's outbox: a result queued by the pipeline wakes the Quartz sender job, which delivers it; the
/// clean-up job then removes the spool and outbox files.
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
        }, services: s => s.AddSingleton<IResultWriter, CopyResultWriter>());
        var started = DateTime.UtcNow;
        Assert.Equal(DimseStatus.Success, Assert.Single(await agent.SendAsync(file)).Status);
        var job = await agent.WaitForAsync(uid, timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(JobState.Completed, job.State);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
        Assert.True(File.Exists(Path.Combine(temp.Path, "pacs", CopyResultWriter.DerivedUid(uid) + ".dcm")));
        // The JSON result is written too, and names the document sent; only the DICOM document was sent.
        var listed = Assert.Single(agent.Result(uid)["documents"]!.AsArray());
        Assert.Equal(CopyResultWriter.DerivedUid(uid), (string?)listed!["sopInstanceUid"]);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((Directory.GetFiles(agent.Paths.Spool, "*.dcm").Length > 0 || Directory.GetFiles(agent.Paths.Outbox, "*.dcm").Length > 0)
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.Empty(Directory.GetFiles(agent.Paths.Spool, "*.dcm"));
        Assert.Empty(Directory.GetFiles(agent.Paths.Outbox, "*.dcm"));
        Assert.Contains("cxr_agent_send_delivered_total{destination=\"pacs\"} 1", await agent.GetAsync("/metrics"), StringComparison.Ordinal);
    }
}
