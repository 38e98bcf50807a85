using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Pdus;
using CxrPacsAgent.Dicom.Network.Tls;
using CxrPacsAgent.Dicom.Network.UpperLayer;

namespace CxrPacsAgent.Dicom.Network.Client;

/// <summary>
/// One SCU association (PS3.7, PS3.8): establishes it, performs C-ECHO and C-STORE one operation at a time, and
/// releases it. Data sets are streamed from their files; nothing holds a whole file unless it must be re-encoded.
/// </summary>
public sealed class DicomClient : IAsyncDisposable
{
    private readonly UpperLayerConnection connection;
    private readonly DicomClientOptions options;
    private readonly CommandAssembler assembler = new();
    private ushort lastMessageId;

    private DicomClient(UpperLayerConnection connection, Association association, DicomClientOptions options)
    {
        this.connection = connection;
        Association = association;
        this.options = options;
    }

    public Association Association { get; }

    /// <summary>True while the association can carry operations.</summary>
    public bool IsEstablished => connection.State == AssociationState.Sta6;

    /// <summary>Opens the connection and negotiates <paramref name="proposals"/>.</summary>
    /// <exception cref="AssociationRejectedException">The acceptor rejected the association.</exception>
    /// <exception cref="DicomNetworkException">No connection, no answer in time, or an abort.</exception>
    public static async Task<DicomClient> ConnectAsync(string host, int port, IEnumerable<PresentationContextProposal> proposals,
        DicomClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(proposals);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var title in new[] { options.CallingAeTitle, options.CalledAeTitle })
        {
            if (!AeTitle.IsValid(title))
            {
                throw new ArgumentException($"'{title}' is not a valid AE title (1-16 ASCII characters, no backslash).", nameof(options));
            }
        }
        var stream = await OpenAsync(host, port, options, cancellationToken).ConfigureAwait(false);
        var connection = new UpperLayerConnection(stream, isRequestor: true, options.UpperLayer);
        try
        {
            var request = new AssociateRequest { CalledAeTitle = options.CalledAeTitle, CallingAeTitle = options.CallingAeTitle };
            request.PresentationContexts.AddRange(proposals);
            request.UserInformation.MaximumLength = options.UpperLayer.MaxReceivePduLength;
            request.UserInformation.ImplementationClassUid = DicomImplementation.ClassUid;
            request.UserInformation.ImplementationVersionName = DicomImplementation.VersionName;
            request.UserInformation.UserIdentity = options.UserIdentity;
            await connection.SendAssociateRequestAsync(request, cancellationToken).ConfigureAwait(false);
            var indication = await connection.ReceiveAsync(options.AcseTimeout, cancellationToken).ConfigureAwait(false);
            switch (indication.Kind)
            {
                case UpperLayerIndicationKind.AssociateAccept:
                    var accept = (AssociateAccept)indication.Pdu!;
                    var remote = new IPEndPoint(IPAddress.TryParse(host, out var ip) ? ip : IPAddress.None, port);
                    var association = new Association(request, accept, remote, isRequestor: true);
                    options.Log?.Invoke(NetworkLogLevel.Debug, $"association {association} established, "
                        + $"{association.PresentationContexts.Count} of {request.PresentationContexts.Count} contexts accepted");
                    return new DicomClient(connection, association, options);
                case UpperLayerIndicationKind.AssociateReject:
                    throw new AssociationRejectedException((AssociateReject)indication.Pdu!);
                case UpperLayerIndicationKind.Timeout:
                    await connection.AbortAsync(cancellationToken).ConfigureAwait(false);
                    throw new DicomNetworkException(AssociationFailure.AcseTimeout,
                        $"no A-ASSOCIATE-AC from {host}:{port} within {options.AcseTimeout.TotalSeconds:0.#} s");
                default:
                    throw Failed($"association with {host}:{port} failed", indication);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>C-ECHO (PS3.7 9.1.5) on an accepted Verification context.</summary>
    public async Task<DimseStatus> EchoAsync(CancellationToken cancellationToken = default)
    {
        var context = Association.PresentationContexts.Values.FirstOrDefault(pc => pc.AbstractSyntax == DicomUids.Verification)
            ?? throw new DicomNetworkException("the acceptor did not accept the Verification SOP class");
        var id = NextMessageId();
        await connection.SendCommandAsync(context.Id, new CEchoRequest(id), cancellationToken).ConfigureAwait(false);
        var response = await ReceiveResponseAsync(id, cancellationToken).ConfigureAwait(false);
        return CEchoResponse.FromCommand(response).Status;
    }

    /// <summary>
    /// C-STORE of one file. When the accepted transfer syntax is the file's, the data set bytes are streamed from disk
    /// as they are; otherwise a native data set is re-encoded into an accepted native syntax.
    /// </summary>
    public async Task<StoreResult> StoreAsync(StoreFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var contexts = Association.PresentationContexts.Values.Where(pc => pc.AbstractSyntax == file.SopClassUid).ToList();
        var context = contexts.FirstOrDefault(pc => pc.TransferSyntax == file.TransferSyntax.Uid);
        // A native data set of odd length breaks PS3.5 7.1.1 (a real encoder wrote an odd value); sent as it is, peers
        // such as DCMTK refuse it, so it is re-encoded, which pads the value.
        var oddNative = context is not null && file.DatasetLength % 2 == 1 && !file.TransferSyntax.IsDeflated
            && DicomTransferSyntax.Lookup(context.TransferSyntax).IsWritable;
        var transcode = oddNative;
        if (context is null && file.CanTranscode)
        {
            context = contexts.FirstOrDefault(pc => pc.TransferSyntax == DicomTransferSyntax.ExplicitVRLittleEndian.Uid)
                ?? contexts.FirstOrDefault(pc => pc.TransferSyntax == DicomTransferSyntax.ImplicitVRLittleEndian.Uid);
            transcode = context is not null;
        }
        if (context is null)
        {
            return new StoreResult(file.Path, file.SopInstanceUid, null,
                $"no presentation context accepted for {DicomUid.GetName(file.SopClassUid)} in {file.TransferSyntax.Name}");
        }
        var id = NextMessageId();
        await connection.SendCommandAsync(context.Id, new CStoreRequest(id, file.SopClassUid, file.SopInstanceUid), cancellationToken)
            .ConfigureAwait(false);
        if (transcode)
        {
            var encoded = Transcode(file, DicomTransferSyntax.Lookup(context.TransferSyntax));
            await connection.SendPDataAsync(context.Id, isCommand: false, new ReadOnlySequence<byte>(encoded.WrittenMemory), cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            var source = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            await using (source.ConfigureAwait(false))
            {
                source.Position = file.DatasetOffset;
                // A deflated stream of odd length gets one trailing NUL (PS3.5 A.5).
                await connection.SendPDataAsync(context.Id, source, file.DatasetLength, (int)(file.DatasetLength % 2), cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        var response = CStoreResponse.FromCommand(await ReceiveResponseAsync(id, cancellationToken).ConfigureAwait(false));
        return new StoreResult(file.Path, file.SopInstanceUid, response.Status, response.ErrorComment)
        {
            TransferSyntaxUid = context.TransferSyntax,
            Transcoded = transcode,
        };
    }

    /// <summary>A-RELEASE (PS3.8 7.2); a release collision is answered as the requestor does (AR-9).</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (!IsEstablished)
        {
            return;
        }
        await connection.SendReleaseRequestAsync(cancellationToken).ConfigureAwait(false);
        while (!connection.IsClosed)
        {
            var indication = await connection.ReceiveAsync(options.AcseTimeout, cancellationToken).ConfigureAwait(false);
            switch (indication.Kind)
            {
                case UpperLayerIndicationKind.ReleaseRequest:
                    await connection.SendReleaseResponseAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case UpperLayerIndicationKind.PData:
                    break;
                case UpperLayerIndicationKind.Timeout:
                    await connection.AbortAsync(cancellationToken).ConfigureAwait(false);
                    await connection.DisposeAsync().ConfigureAwait(false);
                    throw new DicomNetworkException(AssociationFailure.AcseTimeout, $"no A-RELEASE-RP within {options.AcseTimeout.TotalSeconds:0.#} s");
                default:
                    await connection.DisposeAsync().ConfigureAwait(false);
                    return;
            }
        }
    }

    /// <summary>A-ABORT (PS3.8 7.3).</summary>
    public async Task AbortAsync()
    {
        await connection.AbortAsync().ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (IsEstablished)
        {
            await connection.AbortAsync().ConfigureAwait(false);
        }
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private ushort NextMessageId() => lastMessageId = (ushort)(lastMessageId == ushort.MaxValue ? 1 : lastMessageId + 1);

    private async Task<DicomDataset> ReceiveResponseAsync(ushort messageId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var indication = await connection.ReceiveAsync(options.DimseTimeout, cancellationToken).ConfigureAwait(false);
            switch (indication.Kind)
            {
                case UpperLayerIndicationKind.PData:
                    foreach (var pdv in indication.PData.Values.Where(v => v.IsCommand))
                    {
                        var status = assembler.Add(pdv);
                        if (status is CommandAssemblyStatus.TooLong or CommandAssemblyStatus.ContextChanged)
                        {
                            await FailAsync(cancellationToken).ConfigureAwait(false);
                            throw new DicomNetworkException(AssociationFailure.DimseViolation, $"malformed response command ({status})")
                            {
                                Violation = status == CommandAssemblyStatus.TooLong ? DimseViolation.CommandTooLong : DimseViolation.CommandContextChanged,
                            };
                        }
                        if (status != CommandAssemblyStatus.Complete)
                        {
                            continue;
                        }
                        var ok = CommandSet.TryDecode(assembler.Command, out var command, out var error);
                        assembler.Reset();
                        if (!ok)
                        {
                            await FailAsync(cancellationToken).ConfigureAwait(false);
                            throw new DicomNetworkException(AssociationFailure.DimseViolation, "invalid response command: " + error)
                            {
                                Violation = DimseViolation.InvalidCommandSet,
                            };
                        }
                        if (CommandSet.GetUInt16(command, DicomTags.MessageIDBeingRespondedTo) == messageId)
                        {
                            return command;
                        }
                    }
                    break;
                case UpperLayerIndicationKind.Timeout:
                    await FailAsync(cancellationToken).ConfigureAwait(false);
                    throw new DicomNetworkException(AssociationFailure.DimseTimeout, $"no DIMSE response within {options.DimseTimeout.TotalSeconds:0.#} s");
                case UpperLayerIndicationKind.ReleaseRequest:
                    await connection.SendReleaseResponseAsync(cancellationToken).ConfigureAwait(false);
                    throw new DicomNetworkException(AssociationFailure.ReleasedEarly, "the acceptor released the association before responding");
                default:
                    throw Failed("association ended while waiting for a response", indication);
            }
        }
    }

    private async ValueTask FailAsync(CancellationToken cancellationToken)
    {
        await connection.AbortAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DicomNetworkException Failed(string what, UpperLayerIndication indication) =>
        new(indication.Failure, $"{what}: {indication}") { PduRejection = indication.Rejection };

    private static ArrayBufferWriter<byte> Transcode(StoreFile file, DicomTransferSyntax target)
    {
        var dataset = DicomFile.Open(file.Path).Dataset;
        var output = new ArrayBufferWriter<byte>((int)Math.Min(int.MaxValue, file.DatasetLength + 4096));
        DicomDatasetWriter.Write(output, dataset, target);
        return output;
    }

    private static async Task<Stream> OpenAsync(string host, int port, DicomClientOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            socket.Dispose();
            throw new DicomNetworkException(AssociationFailure.ConnectFailed, $"cannot connect to {host}:{port}: {e.Message}", e);
        }
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (options.Tls is not { } tls)
        {
            return stream;
        }
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = tls.TargetHost ?? host,
                ClientCertificates = tls.ClientCertificate is null ? null : [tls.ClientCertificate],
                RemoteCertificateValidationCallback = tls.Validation,
                EnabledSslProtocols = TlsProfiles.Protocols(tls.Profile),
                CipherSuitesPolicy = TlsProfiles.Policy(tls.Profile),
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new DicomNetworkException(AssociationFailure.TlsHandshakeFailed, $"TLS handshake with {host}:{port} failed: {e.Message}", e);
        }
        if (TlsProfiles.Violation(ssl, tls.Profile) is { } violation)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new DicomNetworkException(AssociationFailure.TlsProfileViolation, $"TLS with {host}:{port} refused: {violation}");
        }
        return ssl;
    }
}
