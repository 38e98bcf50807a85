using System.Net;
using System.Net.Sockets;
using CxrPacsAgent.Dicom.Network.Server;
using CxrPacsAgent.Dicom.Network.UpperLayer;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using DicomStorageOptions = CxrPacsAgent.Dicom.Network.Storage.StorageOptions;

namespace CxrPacsAgent.Worker.Intake;

/// <summary>
/// The C-STORE SCP (the toolkit's <see cref="DicomServer"/>) with the acceptance policy and durable intake; started
/// after the pipeline has queued what a previous run left unfinished.
/// </summary>
public sealed class DicomListenerService(IOptions<DicomOptions> dicom, IOptions<StorageOptions> storage, AgentPaths paths,
    SpoolStoreHandler handler, AgentMetrics metrics, AgentReadiness readiness, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private DicomServer? server;

    /// <summary>The port listened on (the one chosen when <c>Dicom:Port</c> asks for any).</summary>
    public int Port => server?.Port ?? 0;

    public DicomServer? Server => server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var d = dicom.Value;
        var options = new DicomServerOptions
        {
            BindAddress = IPAddress.Parse(d.BindAddress),
            Port = d.Port,
            Policy = AcceptancePolicy.For(d),
            UpperLayer = UpperLayerOptions.Default with { MaxReceivePduLength = d.MaxPduLength },
            MaxAssociations = d.MaxAssociations,
            MaxAssociationsPerAddress = d.MaxAssociationsPerAddress,
            IdleTimeout = d.IdleTimeout,
            DimseTimeout = d.DimseTimeout,
            Storage = new DicomStorageOptions
            {
                OutputDirectory = paths.Spool,
                FlushToDisk = true,
                MinimumFreeDiskSpace = storage.Value.MinimumFreeSpaceMb * 1024L * 1024L,
            },
            Log = NetworkLogAdapter.For(loggers.CreateLogger("CxrPacsAgent.Dicom.Network")),
        };
        var starting = new DicomServer(options, handler);
        try
        {
            await starting.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            await starting.DisposeAsync().ConfigureAwait(false);
            throw new StartupException($"Dicom:Port: cannot listen on {d.BindAddress}:{d.Port}: {e.Message}", e);
        }
        server = starting;
        metrics.Registry.AddBeforeCollectCallback(() => Observe(starting.Statistics, starting.ActiveAssociations));
        readiness.Listening = true;
    }

    private void Observe(DicomServerStatistics statistics, int active)
    {
        metrics.Associations.WithLabels("accepted").IncTo(statistics.AssociationsAccepted);
        metrics.Associations.WithLabels("rejected").IncTo(statistics.AssociationsRejected);
        metrics.Associations.WithLabels("aborted").IncTo(statistics.AssociationsAborted);
        metrics.Refused.IncTo(statistics.StoresFailed);
        metrics.ActiveAssociations.Set(active);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        readiness.Listening = false;
        if (server is not null)
        {
            await server.StopAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
