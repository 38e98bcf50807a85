using System.Net;
using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Server;
using CxrPacsAgent.Dicom.Network.Storage;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.Tests.TestSupport;

namespace CxrPacsAgent.Worker.Tests.Outbox;

/// <summary>
/// The sender against the toolkit's own SCP as the destination, answering what each test needs: success, A700, A900,
/// nothing at all, a wrong AE title, only Implicit VR.
/// </summary>
public sealed class OutboxSenderTests : IAsyncLifetime
{
    private const string PacsAe = "TEST_PACS";

    private readonly TempFolder temp = new("sender");
    private readonly List<DicomServer> servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }
        temp.Dispose();
    }

    /// <summary>A handler that answers <see cref="Status"/> and keeps what it accepted.</summary>
    private sealed class PacsHandler(string folder) : IStoreHandler
    {
        public DimseStatus Status { get; set; } = DimseStatus.Success;

        public List<(string Uid, string Syntax)> Received { get; } = [];

        public async ValueTask<StoreOutcome> OnInstanceReceivedAsync(ReceivedInstance instance, CancellationToken cancellationToken)
        {
            if (Status.IsFailure)
            {
                return new StoreOutcome(Status, "test PACS says no");
            }
            await instance.CommitAsync(Path.Combine(folder, instance.SopInstanceUid + ".dcm"), cancellationToken);
            lock (Received)
            {
                Received.Add((instance.SopInstanceUid, instance.Request.PresentationContext.TransferSyntax));
            }
            return new StoreOutcome(Status);
        }
    }

    private async Task<(DicomServer Server, PacsHandler Handler)> StartPacsAsync(IReadOnlyList<string>? syntaxes = null)
    {
        var folder = temp.Sub("pacs-" + servers.Count);
        var handler = new PacsHandler(folder);
        var server = new DicomServer(new DicomServerOptions
        {
            BindAddress = IPAddress.Loopback,
            Port = 0,
            Policy = new AcceptorPolicy
            {
                AeTitle = PacsAe,
                AcceptAnyStorageSopClass = true,
                TransferSyntaxPreference = syntaxes ?? TransferSyntaxes.StorageDefault,
            },
            Storage = new CxrPacsAgent.Dicom.Network.Storage.StorageOptions { OutputDirectory = folder, MinimumFreeDiskSpace = 0 },
        }, handler);
        await server.StartAsync();
        servers.Add(server);
        return (server, handler);
    }

    private static DestinationOptions Destination(int port, string ae = PacsAe) => new() { Name = "pacs", AeTitle = ae, Host = "127.0.0.1", Port = port };

    private List<string> Documents(int count) =>
        [.. Enumerable.Range(0, count).Select(i => TestInstances.FrontalDx(temp.Sub("docs"), film: 1 + (i % 3), size: 64))];

    [Fact]
    public async Task Delivered_documents_settle_their_job_and_the_peer_has_each_once()
    {
        var (server, pacs) = await StartPacsAsync();
        await using var outbox = new OutboxFixture([Destination(server.Port)]);
        await outbox.InitializeAsync();
        var documents = Documents(3);
        var job = await outbox.QueueAsync(documents, "pacs");
        Assert.Equal(3, await outbox.Sender.SendDueAsync(default));
        Assert.Equal(JobState.Completed, (await outbox.Store.GetAsync(job.Id))!.State);
        Assert.Equal(documents.Select(TestInstances.SopInstanceUid).Order(), pacs.Received.Select(r => r.Uid).Order());
        Assert.Equal(0, await outbox.Sender.SendDueAsync(default));
        Assert.Equal(3, pacs.Received.Count);
        Assert.Equal(3, outbox.Metrics.Delivered.WithLabels("pacs").Value);
    }

    [Fact]
    public async Task A_full_PACS_is_retried_with_back_off_until_it_takes_the_documents()
    {
        var (server, pacs) = await StartPacsAsync();
        pacs.Status = DimseStatus.OutOfResources;
        await using var outbox = new OutboxFixture([Destination(server.Port)]);
        await outbox.InitializeAsync();
        var job = await outbox.QueueAsync(Documents(1), "pacs");
        await outbox.Sender.SendDueAsync(default);
        var item = Assert.Single(await outbox.Store.DueAsync(outbox.Time.GetUtcNow().AddSeconds(10), 10));
        Assert.Equal(1, item.Attempts);
        Assert.StartsWith("OutOfResources", item.LastError, StringComparison.Ordinal);
        Assert.Empty(await outbox.Store.DueAsync(outbox.Time.GetUtcNow(), 10));
        outbox.Time.Advance(TimeSpan.FromSeconds(10));
        await outbox.Sender.SendDueAsync(default);
        // The second failure doubles the wait.
        Assert.Empty(await outbox.Store.DueAsync(outbox.Time.GetUtcNow().AddSeconds(19), 10));
        pacs.Status = DimseStatus.Success;
        outbox.Time.Advance(TimeSpan.FromSeconds(20));
        await outbox.Sender.SendDueAsync(default);
        Assert.Equal(JobState.Completed, (await outbox.Store.GetAsync(job.Id))!.State);
        Assert.Single(pacs.Received);
        Assert.Equal(2, outbox.Metrics.SendRetries.WithLabels("pacs", "OutOfResources").Value);
    }

    [Fact]
    public async Task A_final_refusal_goes_to_the_dead_letters_with_its_reason()
    {
        var (server, pacs) = await StartPacsAsync();
        pacs.Status = DimseStatus.DataSetDoesNotMatchSopClass;
        await using var outbox = new OutboxFixture([Destination(server.Port)]);
        await outbox.InitializeAsync();
        var documents = Documents(1);
        var job = await outbox.QueueAsync(documents, "pacs");
        await outbox.Sender.SendDueAsync(default);
        Assert.Equal(JobState.Undelivered, (await outbox.Store.GetAsync(job.Id))!.State);
        var folder = Path.Combine(outbox.Paths.DeadLetters, "pacs");
        var letter = Assert.Single(Directory.GetFiles(folder, "*.dcm"));
        Assert.Equal(File.ReadAllBytes(documents[0]), File.ReadAllBytes(letter));
        var reason = JsonNode.Parse(File.ReadAllText(letter + ".reason.json"))!;
        Assert.Equal("DataSetDoesNotMatchSopClass", (string?)reason["reason"]);
        Assert.Contains("A900", (string?)reason["detail"], StringComparison.Ordinal);
        Assert.Equal(TestInstances.SopInstanceUid(documents[0]), (string?)reason["sopInstanceUid"]);
        Assert.Equal(1, (await outbox.Store.CountsAsync()).DeadLetters);
    }

    [Fact]
    public async Task No_listener_is_retried_and_a_wrong_AE_title_is_final()
    {
        var (server, _) = await StartPacsAsync();
        await using var outbox = new OutboxFixture([Destination(FreePort()), new DestinationOptions
        {
            Name = "misnamed", AeTitle = "NOT_THE_PACS", Host = "127.0.0.1", Port = server.Port,
        }]);
        await outbox.InitializeAsync();
        await outbox.QueueAsync(Documents(1), "pacs", "misnamed");
        await outbox.Sender.SendDueAsync(default);
        var pending = Assert.Single(await outbox.Store.DueAsync(outbox.Time.GetUtcNow().AddHours(1), 10));
        Assert.Equal("pacs", pending.Destination);
        Assert.StartsWith("ConnectionFailed", pending.LastError, StringComparison.Ordinal);
        var reason = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(outbox.Paths.DeadLetters, "misnamed"), "*.reason.json").Single()))!;
        Assert.Equal("AssociationRejectedPermanent", (string?)reason["reason"]);
    }

    [Fact]
    public async Task Too_old_and_unknown_destination_items_are_given_up()
    {
        var (server, pacs) = await StartPacsAsync();
        await using var outbox = new OutboxFixture([Destination(server.Port)], new OutboxOptions { MaxAge = TimeSpan.FromMinutes(5) });
        await outbox.InitializeAsync();
        await outbox.QueueAsync(Documents(1), "pacs");
        outbox.Time.Advance(TimeSpan.FromMinutes(6));
        await outbox.QueueAsync(Documents(1), "removed");
        await outbox.Sender.SendDueAsync(default);
        Assert.Empty(pacs.Received);
        var reasons = Directory.GetFiles(outbox.Paths.DeadLetters, "*.reason.json", SearchOption.AllDirectories)
            .Select(f => (string?)JsonNode.Parse(File.ReadAllText(f))!["reason"]).Order().ToList();
        Assert.Equal(["DestinationNotConfigured", "MaxAgeExceeded"], reasons);
    }

    [Fact]
    public async Task A_document_is_transcoded_before_its_request_when_the_peer_takes_only_Implicit_VR()
    {
        var (server, pacs) = await StartPacsAsync([DicomTransferSyntax.ImplicitVRLittleEndian.Uid]);
        await using var outbox = new OutboxFixture([Destination(server.Port)]);
        await outbox.InitializeAsync();
        var documents = Documents(1);
        await outbox.QueueAsync(documents, "pacs");
        await outbox.Sender.SendDueAsync(default);
        var (uid, syntax) = Assert.Single(pacs.Received);
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian.Uid, syntax);
        var sent = DicomFile.Open(documents[0]).Dataset;
        var received = DicomFile.Open(Path.Combine(temp.Path, "pacs-0", uid + ".dcm")).Dataset;
        Assert.Equal(sent.GetString(DicomTags.PatientName), received.GetString(DicomTags.PatientName));
        Assert.Equal(((DicomElement)sent[DicomTags.PixelData]!).Buffer.Memory.ToArray(), ((DicomElement)received[DicomTags.PixelData]!).Buffer.Memory.ToArray());
        // Nothing transcoded is left behind.
        Assert.Empty(Directory.Exists(Path.Combine(outbox.Paths.Outbox, "tmp")) ? Directory.GetFiles(Path.Combine(outbox.Paths.Outbox, "tmp")) : []);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
