using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.Outbox;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.State.Sqlite;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CxrPacsAgent.Worker.Tests.Outbox;

/// <summary>
/// An outbox with a real state store and a clock the test moves: documents are queued as the pipeline queues them,
/// and rounds of the real sender send them to real peers.
/// </summary>
internal sealed class OutboxFixture : IAsyncDisposable
{
    private readonly TempFolder temp = new("outbox");
    private int sequence;

    public OutboxFixture(IReadOnlyList<DestinationOptions> destinations, OutboxOptions? options = null)
    {
        Paths = new AgentPaths(temp.Sub("root"));
        Paths.CreateFolders();
        Store = new SqliteStateStore(Paths.Database, Time);
        Options = options ?? new OutboxOptions { FirstRetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromMinutes(5) };
        var destinationOptions = Microsoft.Extensions.Options.Options.Create(new DestinationsOptions { Items = [.. destinations] });
        var outbox = Microsoft.Extensions.Options.Options.Create(Options);
        var sender = new DestinationSender(Paths, outbox, Microsoft.Extensions.Options.Options.Create(new DicomOptions()), NullLoggerFactory.Instance);
        Sender = new OutboxSender(Store, sender, new DeadLetterFolder(Paths, Time), outbox, destinationOptions, Metrics, Time,
            NullLogger<OutboxSender>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public AgentPaths Paths { get; }

    public SqliteStateStore Store { get; }

    public OutboxOptions Options { get; }

    public AgentMetrics Metrics { get; } = new();

    public OutboxSender Sender { get; }

    public string Scratch => temp.Path;

    public Task InitializeAsync() => Store.InitializeAsync();

    /// <summary>Queues copies of <paramref name="documents"/> for <paramref name="destinations"/> as one job's results.</summary>
    public async Task<JobRef> QueueAsync(IReadOnlyList<string> documents, params string[] destinations)
    {
        var n = Interlocked.Increment(ref sequence);
        var job = (await Store.RecordReceivedAsync(new SpooledInstance($"1.2.826.0.1.3680043.10.77.{n}", DicomUids.DigitalXRayImageStorageForPresentation,
            "1.2.840.10008.1.2.1", $"s{n}.dcm", new string('a', 64), 1, "ROUTER"))).Job;
        Assert.True(await Store.RecordScoredAsync(job, new ScoreRecord(0.5f, "NORMAL", 0.5, "m", "1", [1f], false)));
        var queued = new List<OutboxDocument>();
        foreach (var document in documents)
        {
            var file = $"{n}-{Path.GetFileName(document)}";
            File.Copy(document, Path.Combine(Paths.Outbox, file));
            var dataset = CxrPacsAgent.Dicom.IO.DicomFile.Open(document).Dataset;
            queued.Add(new OutboxDocument(file, dataset.GetString(DicomTags.SOPInstanceUID)!, dataset.GetString(DicomTags.SOPClassUID)!));
        }
        Assert.True(await Store.RecordReportedAsync(job, queued, destinations));
        return job;
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        temp.Dispose();
        await Task.CompletedTask;
    }
}
