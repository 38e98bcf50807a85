using System.Collections.Concurrent;
using System.Net;
using CxrPacsAgent.Dicom.Network;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Server;
using CxrPacsAgent.Dicom.Network.Storage;
using CxrPacsAgent.Dicom.Network.UpperLayer;

namespace CxrPacsAgent.IntegrationTests.Network.TestSupport;

/// <summary>
/// Our SCP on 127.0.0.1 with a free port, a scratch output folder, short timeouts and its log kept for assertions.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string AeTitle = "CXRTEST";

    private readonly TempFolder folder;

    private TestServer(DicomServer server, TempFolder folder, string output, ConcurrentQueue<string> log)
    {
        Server = server;
        this.folder = folder;
        Output = output;
        LogLines = log;
    }

    public DicomServer Server { get; }

    public string Output { get; }

    public int Port => Server.Port;

    public ConcurrentQueue<string> LogLines { get; }

    public string Log => string.Join('\n', LogLines);

    public DicomServerStatistics Statistics => Server.Statistics;

    /// <summary>Files finished and in place (the temp folder excluded).</summary>
    public string[] StoredFiles => Directory.GetFiles(Output, "*.dcm");

    public string[] TempFiles => Directory.Exists(Path.Combine(Output, StorageOptions.TempFolderName))
        ? Directory.GetFiles(Path.Combine(Output, StorageOptions.TempFolderName))
        : [];

    public static async Task<TestServer> StartAsync(Func<DicomServerOptions, DicomServerOptions>? configure = null,
        IStoreHandler? handler = null)
    {
        var folder = new TempFolder("scp");
        var output = folder.Sub("out");
        var log = new ConcurrentQueue<string>();
        var options = new DicomServerOptions
        {
            BindAddress = IPAddress.Loopback,
            Port = 0,
            Policy = new AcceptorPolicy { AeTitle = AeTitle, AcceptAnyStorageSopClass = true, PreferProposerOrder = true },
            UpperLayer = UpperLayerOptions.Default with { ArtimTimeout = TimeSpan.FromSeconds(5) },
            DimseTimeout = TimeSpan.FromSeconds(10),
            IdleTimeout = TimeSpan.FromSeconds(20),
            Storage = new StorageOptions { OutputDirectory = output, MinimumFreeDiskSpace = 0 },
            Log = (level, message) => log.Enqueue($"{level} {message}"),
        };
        options = configure?.Invoke(options) ?? options;
        var server = new DicomServer(options, handler);
        await server.StartAsync();
        return new TestServer(server, folder, output, log);
    }

    /// <summary>Waits until the server has no connection left (peers finish closing after their last PDU).</summary>
    public async Task WaitIdleAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (Server.OpenConnections > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Server.OpenConnections} connections still open:\n{Log}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Patient data of the synthetic samples must not appear at Information level or above.</summary>
    public void AssertNoPatientDataLogged()
    {
        foreach (var line in LogLines.Where(l => !l.StartsWith("Debug", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(Samples.PatientName, line, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("TESTPATIENT", line, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Samples.PatientId, line, StringComparison.OrdinalIgnoreCase);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        folder.Dispose();
    }
}
