using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
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
    private Socket? listener;
    private Task? acceptLoop;
    private int openConnections;
    private int activeAssociations;

    public DicomServer(DicomServerOptions options, IStoreHandler? storeHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.storeHandler = storeHandler ?? (options.Storage is { } storage ? new FileStoreHandler(storage.OutputDirectory) : null);
    }

    /// <summary>The port listened on (the one chosen when <see cref="DicomServerOptions.Port"/> is 0).</summary>
    public int Port { get; private set; }

    public DicomServerStatistics Statistics { get; } = new();

    public int OpenConnections => Volatile.Read(ref openConnections);

    public int ActiveAssociations => Volatile.Read(ref activeAssociations);

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
            if (Interlocked.Increment(ref openConnections) > options.MaxConnections)
            {
                Interlocked.Decrement(ref openConnections);
                Log(NetworkLogLevel.Warning, $"connection from {socket.RemoteEndPoint} closed: {options.MaxConnections} connections are open");
                socket.Dispose();
                continue;
            }
            socket.NoDelay = true;
            var task = Task.Run(() => RunConnectionAsync(socket, cancellationToken), CancellationToken.None);
            connections.TryAdd(task, 0);
            _ = task.ContinueWith(t => connections.TryRemove(t, out _), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task RunConnectionAsync(Socket socket, CancellationToken cancellationToken)
    {
        var remote = socket.RemoteEndPoint as IPEndPoint;
        var holdsSlot = false;
        UpperLayerConnection? connection = null;
        try
        {
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (options.Tls is { } tls)
            {
                var secured = await AuthenticateAsync(stream, tls, remote, cancellationToken).ConfigureAwait(false);
                if (secured is null)
                {
                    return;
                }
                stream = secured;
            }
            connection = new UpperLayerConnection(stream, isRequestor: false, options.UpperLayer);
            connection.OnTransportConnected();
            var indication = await connection.ReceiveAsync(null, cancellationToken).ConfigureAwait(false);
            if (indication.Kind != UpperLayerIndicationKind.AssociateRequest)
            {
                Log(NetworkLogLevel.Warning, $"connection from {remote} ended before an association: {indication.Kind}"
                    + (indication.Rejection != PduRejectionReason.None ? $" ({indication.Rejection})" : ""));
                await connection.WaitForCloseAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            var request = (AssociateRequest)indication.Pdu!;
            if (Interlocked.Increment(ref activeAssociations) > options.MaxAssociations)
            {
                Interlocked.Decrement(ref activeAssociations);
                await RejectAsync(connection, AssociateReject.LocalLimitExceeded(), request, remote,
                    $"{options.MaxAssociations} associations are active", cancellationToken).ConfigureAwait(false);
                return;
            }
            holdsSlot = true;
            var decision = await AssociationNegotiator.NegotiateAsync(request, remote?.Address, options.Policy,
                options.UpperLayer.MaxReceivePduLength, cancellationToken).ConfigureAwait(false);
            if (!decision.IsAccepted)
            {
                await RejectAsync(connection, decision.Reject!, request, remote, decision.Explanation, cancellationToken).ConfigureAwait(false);
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
            if (connection is not null)
            {
                await connection.AbortAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
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
                Interlocked.Decrement(ref activeAssociations);
            }
            Interlocked.Decrement(ref openConnections);
        }
    }

    private async Task RejectAsync(UpperLayerConnection connection, AssociateReject reject, AssociateRequest request,
        IPEndPoint? remote, string explanation, CancellationToken cancellationToken)
    {
        Statistics.Rejected();
        Log(NetworkLogLevel.Warning, $"association {request.CallingAeTitle}->{request.CalledAeTitle} from {remote} rejected "
            + $"({reject.Reason.Describe()}): {explanation}");
        await connection.RejectAsync(reject, cancellationToken).ConfigureAwait(false);
        await connection.WaitForCloseAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<Stream?> AuthenticateAsync(Stream stream, ServerTlsOptions tls, IPEndPoint? remote, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        var authentication = new SslServerAuthenticationOptions
        {
            ServerCertificate = tls.ServerCertificate,
            ClientCertificateRequired = tls.RequireClientCertificate,
            EnabledSslProtocols = tls.EnabledProtocols,
            RemoteCertificateValidationCallback = tls.ClientCertificateValidation
                ?? ((_, certificate, _, errors) => !tls.RequireClientCertificate || (certificate is not null && errors == SslPolicyErrors.None)),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The handshake counts against the ACSE timeout, like the wait for the A-ASSOCIATE-RQ that follows it.
        timeout.CancelAfter(options.UpperLayer.ArtimTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(authentication, timeout.Token).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Log(NetworkLogLevel.Warning, $"TLS handshake with {remote} failed: {e.Message}");
            await ssl.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    private void Log(NetworkLogLevel level, string message) => options.Log?.Invoke(level, message);
}
