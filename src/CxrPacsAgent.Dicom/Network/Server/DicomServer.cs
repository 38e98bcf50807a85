using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Pdus;
using CxrPacsAgent.Dicom.Network.Storage;
using CxrPacsAgent.Dicom.Network.UpperLayer;

namespace CxrPacsAgent.Dicom.Network.Server;

/// <summary>
/// A DICOM SCP: listens on TCP (optionally TLS), runs every connection through the upper layer and ACSE on its own
/// task, and serves Verification and Storage. A faulty peer costs only its own association.
/// </summary>
public sealed class DicomServer : IAsyncDisposable
{
    private readonly DicomServerOptions options;
    private readonly IStoreHandler? storeHandler;
    private readonly ConcurrentDictionary<Task, byte> connections = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly ConnectionSlots slots;
    private Socket? listener;
    private Task? acceptLoop;

    public DicomServer(DicomServerOptions options, IStoreHandler? storeHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        slots = new ConnectionSlots(options);
        this.storeHandler = storeHandler ?? (options.Storage is { } storage ? new FileStoreHandler(storage.OutputDirectory) : null);
    }

    /// <summary>The port listened on (the one chosen when <see cref="DicomServerOptions.Port"/> is 0).</summary>
    public int Port { get; private set; }

    public DicomServerStatistics Statistics { get; } = new();

    public int OpenConnections => slots.Connections;

    public int ActiveAssociations => slots.Associations;

    public DicomServerOptions Options => options;

    /// <summary>Binds the port and starts accepting. Leftover temporary files of an earlier run are removed first.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (listener is not null)
        {
            throw new InvalidOperationException("already started");
        }
        if (options.Storage is { } storage)
        {
            Directory.CreateDirectory(storage.OutputDirectory);
            Directory.CreateDirectory(storage.TempDirectory);
            foreach (var stale in Directory.EnumerateFiles(storage.TempDirectory, "*.part"))
            {
                File.Delete(stale);
            }
        }
        var socket = new Socket(options.BindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (options.BindAddress.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.Bind(new IPEndPoint(options.BindAddress, options.Port));
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        listener = socket;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        Log(NetworkLogLevel.Information, $"listening on {options.BindAddress}:{Port} as {options.Policy.AeTitle}"
            + (options.Tls is null ? "" : " (TLS)"));
        acceptLoop = Task.Run(() => AcceptLoopAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops listening, aborts the associations still open and waits for their tasks.</summary>
    public async Task StopAsync()
    {
        if (listener is null)
        {
            return;
        }
        await stopping.CancelAsync().ConfigureAwait(false);
        listener.Dispose();
        if (acceptLoop is not null)
        {
            await acceptLoop.ConfigureAwait(false);
        }
        await Task.WhenAll(connections.Keys).ConfigureAwait(false);
        listener = null;
        Log(NetworkLogLevel.Information, "stopped");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        stopping.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener!.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                Log(NetworkLogLevel.Warning, "accept failed: " + e.Message);
                continue;
            }
            Statistics.Connection();
            var remote = socket.RemoteEndPoint as IPEndPoint;
            var address = ConnectionSlots.Normalize(remote?.Address);
            if (!slots.TryOpen(address, out var firstRefusal))
            {
                Statistics.ConnectionFailed(AssociationFailure.ConnectionLimit);
                // Logged once per episode: a flood must not become a flood of log lines.
                Log(firstRefusal ? NetworkLogLevel.Warning : NetworkLogLevel.Debug, $"connection from {remote} closed ({AssociationFailure.ConnectionLimit}): "
                    + $"{slots.Connections} of {options.MaxConnections} connections open, at most {options.MaxConnectionsPerAddress} from one address");
                socket.Dispose();
                continue;
            }
            socket.NoDelay = true;
            var task = Task.Run(() => RunConnectionAsync(socket, remote, address, cancellationToken), CancellationToken.None);
            connections.TryAdd(task, 0);
            _ = task.ContinueWith(t => connections.TryRemove(t, out _), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task RunConnectionAsync(Socket socket, IPEndPoint? remote, IPAddress address, CancellationToken cancellationToken)
    {
        var holdsSlot = false;
        UpperLayerConnection? connection = null;
        try
        {
            var opened = await OpenAsync(socket, remote, cancellationToken).ConfigureAwait(false);
            if (opened is null)
            {
                return;
            }
            (connection, var request, var clientCertificate) = opened.Value;
            var limit = slots.TryBeginAssociation(address);
            if (limit != AssociationRejection.None)
            {
                await RejectAsync(connection, AssociationDecision.Rejected(limit, limit == AssociationRejection.AssociationLimit
                    ? $"{options.MaxAssociations} associations are active"
                    : $"{options.MaxAssociationsPerAddress} associations from {address} are active"), request, remote, cancellationToken)
                    .ConfigureAwait(false);
                return;
            }
            holdsSlot = true;
            var decision = options.Tls is { BindClientCertificateToCallingAe: true } && !ServerTlsHandshake.Names(clientCertificate, request.CallingAeTitle)
                ? AssociationDecision.Rejected(AssociationRejection.ClientCertificateMismatch,
                    $"calling AE title '{PeerText.Sanitize(request.CallingAeTitle)}' is not a name of the client certificate")
                : await AssociationNegotiator.NegotiateAsync(request, remote?.Address, options.Policy,
                    options.UpperLayer.MaxReceivePduLength, cancellationToken).ConfigureAwait(false);
            if (!decision.IsAccepted)
            {
                await RejectAsync(connection, decision, request, remote, cancellationToken).ConfigureAwait(false);
                return;
            }
            await connection.AcceptAsync(decision.Accept!, cancellationToken).ConfigureAwait(false);
            var association = new Association(request, decision.Accept!, remote, isRequestor: false);
            Statistics.Accepted();
            Log(NetworkLogLevel.Information, $"association {association} accepted: {decision.Explanation}, peer max PDU {association.PeerMaxPduLength}");
            await new ServerAssociation(connection, association, options, storeHandler, Statistics).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Server stopping: tell the peer rather than vanish.
            Statistics.ConnectionFailed(AssociationFailure.Stopping);
            if (connection is not null)
            {
                await connection.AbortAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            Statistics.ConnectionFailed(e is SendTimeoutException ? AssociationFailure.SendTimeout : AssociationFailure.ConnectionLost);
            Log(NetworkLogLevel.Warning, $"connection from {remote} failed: {e.Message}");
        }
#pragma warning disable CA1031 // A bug met by one peer must not take the server down with it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log(NetworkLogLevel.Error, $"connection from {remote} failed unexpectedly: {e}");
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            socket.Dispose();
            if (holdsSlot)
            {
                slots.EndAssociation(address);
            }
            slots.Close(address);
        }
    }

    /// <summary>
    /// TLS handshake and the A-ASSOCIATE-RQ, together within <see cref="DicomServerOptions.AssociationRequestTimeout"/>.
    /// Null when the connection ended before a request (it is logged and counted here).
    /// </summary>
    private async Task<(UpperLayerConnection, AssociateRequest, X509Certificate2?)?> OpenAsync(Socket socket, IPEndPoint? remote,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.AssociationRequestTimeout);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        X509Certificate2? clientCertificate = null;
        if (options.Tls is { } tls)
        {
            var (secured, failure, problem) = await ServerTlsHandshake.RunAsync(stream, tls, deadline.Token, cancellationToken)
                .ConfigureAwait(false);
            if (secured is null)
            {
                Statistics.ConnectionFailed(failure);
                Log(NetworkLogLevel.Warning, $"TLS handshake with {remote} failed ({failure}): {problem}");
                return null;
            }
            stream = secured;
            clientCertificate = secured.RemoteCertificate as X509Certificate2;
        }
        var connection = new UpperLayerConnection(stream, isRequestor: false, options.UpperLayer);
        UpperLayerIndication indication;
        try
        {
            connection.OnTransportConnected();
            indication = await connection.ReceiveAsync(null, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Statistics.ConnectionFailed(AssociationFailure.AcseTimeout);
            Log(NetworkLogLevel.Warning, $"connection from {remote} closed ({AssociationFailure.AcseTimeout}): "
                + $"no complete A-ASSOCIATE-RQ within {options.AssociationRequestTimeout.TotalSeconds:0.#} s");
            await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        if (indication.Kind == UpperLayerIndicationKind.AssociateRequest)
        {
            return (connection, (AssociateRequest)indication.Pdu!, clientCertificate);
        }
        if (indication.Kind == UpperLayerIndicationKind.AssociateRejectedByProvider)
        {
            Statistics.Rejected(AssociationRejection.ProtocolVersion);
        }
        else
        {
            Statistics.ConnectionFailed(indication.Failure);
        }
        Log(NetworkLogLevel.Warning, $"connection from {remote} ended before an association ({indication.Failure}): {indication}");
        try
        {
            // After our A-ABORT the peer is given until the request deadline, not the whole ARTIM, to close: a
            // connection that never sent a valid request does not hold its slot for long.
            await connection.WaitForCloseAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Closed below.
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        return null;
    }

    private async Task RejectAsync(UpperLayerConnection connection, AssociationDecision decision, AssociateRequest request,
        IPEndPoint? remote, CancellationToken cancellationToken)
    {
        Statistics.Rejected(decision.Rejection);
        Log(NetworkLogLevel.Warning, $"association {PeerText.Sanitize(request.CallingAeTitle)}->{PeerText.Sanitize(request.CalledAeTitle)} "
            + $"from {remote} rejected ({decision.Rejection}, {decision.Reject!.Reason.Describe()}): {decision.Explanation}");
        await connection.RejectAsync(decision.Reject, cancellationToken).ConfigureAwait(false);
        await connection.WaitForCloseAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Log(NetworkLogLevel level, string message) => options.Log?.Invoke(level, message);
}
