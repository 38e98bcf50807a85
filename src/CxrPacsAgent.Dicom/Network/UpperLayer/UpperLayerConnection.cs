using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Network.UpperLayer;

/// <summary>
/// One transport connection of the DICOM upper layer (PS3.8 9): reads PDUs from a <see cref="PipeReader"/> over the
/// stream, runs each event through <see cref="AssociationStateMachine"/> and performs the action it names. The user
/// (ACSE/DIMSE) sees indications and issues requests; one task drives a connection.
/// </summary>
public sealed class UpperLayerConnection : IAsyncDisposable
{
    private readonly Stream transport;
    private readonly PipeReader input;
    private readonly UpperLayerOptions options;
    private readonly DeadlineTimer readTimer;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private CancellationTokenSource sendTimeout = new();
    private readonly PduReaderLimits limits;
    private byte[]? sendBuffer;
    private SequencePosition? pendingConsumed;
    private bool desynchronized;
    private bool closed;

    public UpperLayerConnection(Stream transport, bool isRequestor, UpperLayerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        this.transport = transport;
        this.options = options ?? UpperLayerOptions.Default;
        input = PipeReader.Create(transport, new StreamPipeReaderOptions(bufferSize: 256 * 1024, minimumReadSize: 64 * 1024, leaveOpen: true));
        limits = new PduReaderLimits(this.options.MaxReceivePduLength, this.options.MaxAssociatePduLength);
        readTimer = new DeadlineTimer(input.CancelPendingRead, this.options.TimeProvider);
        StateMachine = new AssociationStateMachine(isRequestor,
            new ArtimTimer(this.options.ArtimTimeout, input.CancelPendingRead, this.options.TimeProvider));
    }

    public AssociationStateMachine StateMachine { get; }

    public AssociationState State => StateMachine.State;

    public UpperLayerOptions Options => options;

    /// <summary>The Maximum Length the peer announced (0: no limit); what we send is cut to fit it.</summary>
    public uint PeerMaxPduLength { get; private set; }

    /// <summary>
    /// Data bytes one PDV of ours may carry: the peer's limit, capped by our own, less the PDV header, rounded down to
    /// even (DICOM values are even, and some peers, DCMTK among them, refuse odd fragments).
    /// </summary>
    public int MaxPdvDataLength
    {
        get
        {
            var max = PeerMaxPduLength == 0 ? options.MaxSendPduLength : Math.Min(PeerMaxPduLength, options.MaxSendPduLength);
            return (int)Math.Max(2, ((long)max - PresentationDataValue.HeaderLength) & ~1L);
        }
    }

    public bool IsClosed => closed;

    /// <summary>Evt5 on an accepted connection: AE-5 starts ARTIM and waits for the A-ASSOCIATE-RQ (Sta2).</summary>
    public void OnTransportConnected() => StateMachine.Fire(AssociationEvent.Evt5);

    /// <summary>
    /// Requestor side, on a connection the caller has opened: Evt1 (AE-1) and Evt2 (AE-2) send the A-ASSOCIATE-RQ.
    /// </summary>
    public async ValueTask SendAssociateRequestAsync(AssociateRequest request, CancellationToken cancellationToken = default)
    {
        StateMachine.Fire(AssociationEvent.Evt1);
        StateMachine.Fire(AssociationEvent.Evt2);
        await SendPduAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Evt7, AE-7: sends the A-ASSOCIATE-AC (Sta6).</summary>
    public async ValueTask AcceptAsync(AssociateAccept accept, CancellationToken cancellationToken = default)
    {
        StateMachine.Fire(AssociationEvent.Evt7);
        await SendPduAsync(accept, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Evt8, AE-8: sends the A-ASSOCIATE-RJ and starts ARTIM (Sta13); then <see cref="WaitForCloseAsync"/>.</summary>
    public async ValueTask RejectAsync(AssociateReject reject, CancellationToken cancellationToken = default)
    {
        StateMachine.Fire(AssociationEvent.Evt8);
        await SendPduAsync(reject, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Evt11, AR-1: sends the A-RELEASE-RQ (Sta7).</summary>
    public async ValueTask SendReleaseRequestAsync(CancellationToken cancellationToken = default)
    {
        StateMachine.Fire(AssociationEvent.Evt11);
        await SendPduAsync(ReleaseRequest.Instance, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Evt14, AR-4 or AR-9: sends the A-RELEASE-RP.</summary>
    public async ValueTask SendReleaseResponseAsync(CancellationToken cancellationToken = default)
    {
        StateMachine.Fire(AssociationEvent.Evt14);
        await SendPduAsync(ReleaseResponse.Instance, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Evt15, AA-1: sends an A-ABORT (service-user source) and starts ARTIM. Where the table has no A-ABORT request
    /// (no association yet, or already Sta13) the transport is simply closed or left to close.
    /// </summary>
    public async ValueTask AbortAsync(CancellationToken cancellationToken = default)
    {
        if (closed || State == AssociationState.Sta13)
        {
            return;
        }
        if (!StateMachine.CanFire(AssociationEvent.Evt15))
        {
            await CloseTransportAsync().ConfigureAwait(false);
            return;
        }
        var action = StateMachine.Fire(AssociationEvent.Evt15);
        if (action == StateMachineAction.AA2)
        {
            await CloseTransportAsync().ConfigureAwait(false);
            return;
        }
        try
        {
            await SendPduAsync(Abort.ByServiceUser(), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The peer is gone already; closing is all that is left.
        }
    }

    /// <summary>
    /// In Sta13, waits for the peer to close the connection (Evt17, AR-5) or for ARTIM to expire (Evt18, AA-2): closing
    /// first could reset the connection before the peer has read our last PDU.
    /// </summary>
    public async ValueTask WaitForCloseAsync(CancellationToken cancellationToken = default)
    {
        while (!closed)
        {
            if (State != AssociationState.Sta13)
            {
                await CloseTransportAsync().ConfigureAwait(false);
                return;
            }
            await ReceiveAsync(null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads until something the user must see. <paramref name="timeout"/> bounds the wait outside the ARTIM states
    /// and yields <see cref="UpperLayerIndicationKind.Timeout"/>. A P-DATA indication's PDVs stay valid until the next
    /// call.
    /// </summary>
    public async ValueTask<UpperLayerIndication> ReceiveAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ReleasePending();
        if (closed)
        {
            return new UpperLayerIndication(UpperLayerIndicationKind.Closed);
        }
        if (timeout is { } t && State is not (AssociationState.Sta2 or AssociationState.Sta13))
        {
            readTimer.Start(t);
        }
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (IsTransportFailure(e))
                {
                    return await OnTransportClosedAsync().ConfigureAwait(false);
                }
                if (result.IsCanceled)
                {
                    if (StateMachine.Artim?.HasExpired == true && StateMachine.CanFire(AssociationEvent.Evt18))
                    {
                        StateMachine.Fire(AssociationEvent.Evt18);
                        await CloseTransportAsync().ConfigureAwait(false);
                        return new UpperLayerIndication(UpperLayerIndicationKind.Closed);
                    }
                    if (readTimer.HasExpired)
                    {
                        return new UpperLayerIndication(UpperLayerIndicationKind.Timeout);
                    }
                    continue;
                }
                var buffer = result.Buffer;
                if (desynchronized)
                {
                    // After an invalid PDU there are no PDU boundaries left to find: discard until the peer closes.
                    input.AdvanceTo(buffer.End);
                    if (result.IsCompleted)
                    {
                        return await OnTransportClosedAsync().ConfigureAwait(false);
                    }
                    continue;
                }
                var reader = new SequenceReader<byte>(buffer);
                var status = PduReader.TryRead(ref reader, limits, out var pdu, out var rejection);
                if (status == PduReadStatus.Incomplete)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    if (result.IsCompleted)
                    {
                        return await OnTransportClosedAsync().ConfigureAwait(false);
                    }
                    continue;
                }
                if (status == PduReadStatus.Rejected)
                {
                    input.AdvanceTo(buffer.End);
                    desynchronized = true;
                    if (await OnInvalidPduAsync(rejection, cancellationToken).ConfigureAwait(false) is { } abort)
                    {
                        return abort;
                    }
                    continue;
                }
                pendingConsumed = reader.Position;
                if (await OnPduAsync(pdu!, cancellationToken).ConfigureAwait(false) is { } indication)
                {
                    return indication;
                }
                ReleasePending();
                if (closed)
                {
                    return new UpperLayerIndication(UpperLayerIndicationKind.Closed);
                }
            }
        }
        finally
        {
            readTimer.Stop();
        }
    }

    /// <summary>
    /// Evt9 per PDU (DT-1 or AR-7): sends <paramref name="data"/> as one message part in PDVs that fit the peer's
    /// maximum length, the last flagged as the last fragment.
    /// </summary>
    public async ValueTask SendPDataAsync(byte presentationContextId, bool isCommand, ReadOnlySequence<byte> data,
        CancellationToken cancellationToken = default)
    {
        var max = MaxPdvDataLength;
        var buffer = RentSendBuffer(max);
        do
        {
            var chunk = (int)Math.Min(max, data.Length);
            var isLast = chunk == data.Length;
            data.Slice(0, chunk).CopyTo(buffer.AsSpan(Pdu.HeaderLength + PresentationDataValue.HeaderLength));
            await SendFragmentAsync(buffer, chunk, presentationContextId, isCommand, isLast, cancellationToken).ConfigureAwait(false);
            data = data.Slice(chunk);
        }
        while (!data.IsEmpty);
    }

    /// <summary>
    /// Streams <paramref name="length"/> bytes of a data set from <paramref name="source"/> straight into PDVs, so a
    /// file is sent without holding it in memory. The source is read synchronously: it is a file, mostly in the page
    /// cache, and an asynchronous file read would cost a thread-pool hop per PDV.
    /// </summary>
    /// <remarks><paramref name="padding"/> zero bytes follow the source's bytes (a deflated stream is sent even).</remarks>
    public async ValueTask SendPDataAsync(byte presentationContextId, Stream source, long length, int padding = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var max = MaxPdvDataLength;
        var buffer = RentSendBuffer(max);
        var remaining = length + padding;
        do
        {
            var chunk = (int)Math.Min(max, remaining);
            var fromSource = (int)Math.Min(chunk, Math.Max(0, remaining - padding));
            var target = buffer.AsSpan(Pdu.HeaderLength + PresentationDataValue.HeaderLength, chunk);
            source.ReadExactly(target[..fromSource]);
            target[fromSource..].Clear();
            remaining -= chunk;
            await SendFragmentAsync(buffer, chunk, presentationContextId, false, remaining == 0, cancellationToken).ConfigureAwait(false);
        }
        while (remaining > 0);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseTransportAsync().ConfigureAwait(false);
        readTimer.Dispose();
        StateMachine.Artim?.Dispose();
        sendLock.Dispose();
        sendTimeout.Dispose();
        if (sendBuffer is not null)
        {
            ArrayPool<byte>.Shared.Return(sendBuffer);
            sendBuffer = null;
        }
    }

    private async ValueTask SendFragmentAsync(byte[] buffer, int dataLength, byte presentationContextId, bool isCommand,
        bool isLast, CancellationToken cancellationToken)
    {
        StateMachine.Fire(AssociationEvent.Evt9);
        PduWriter.WritePDataHeader(buffer, (uint)(PresentationDataValue.HeaderLength + dataLength));
        PduWriter.WritePdvHeader(buffer.AsSpan(Pdu.HeaderLength), dataLength, presentationContextId, isCommand, isLast);
        await WriteAsync(buffer.AsMemory(0, Pdu.HeaderLength + PresentationDataValue.HeaderLength + dataLength), cancellationToken)
            .ConfigureAwait(false);
    }

    private byte[] RentSendBuffer(int maxData)
    {
        var needed = Pdu.HeaderLength + PresentationDataValue.HeaderLength + maxData;
        if (sendBuffer is null || sendBuffer.Length < needed)
        {
            if (sendBuffer is not null)
            {
                ArrayPool<byte>.Shared.Return(sendBuffer);
            }
            sendBuffer = ArrayPool<byte>.Shared.Rent(needed);
        }
        return sendBuffer;
    }

    private async ValueTask<UpperLayerIndication?> OnPduAsync(Pdu pdu, CancellationToken cancellationToken)
    {
        var evt = pdu.Type switch
        {
            PduType.AssociateAccept => AssociationEvent.Evt3,
            PduType.AssociateReject => AssociationEvent.Evt4,
            PduType.AssociateRequest => AssociationEvent.Evt6,
            PduType.PDataTransfer => AssociationEvent.Evt10,
            PduType.ReleaseRequest => AssociationEvent.Evt12,
            PduType.ReleaseResponse => AssociationEvent.Evt13,
            _ => AssociationEvent.Evt16,
        };
        // AE-6: a receiver implementing only version 1 tests bit 0 alone (PS3.8 9.3.2).
        var acceptable = pdu is not AssociateRequest rq || (rq.ProtocolVersion & 1) != 0;
        var before = State;
        var action = StateMachine.Fire(evt, acceptable);
        switch (action)
        {
            case StateMachineAction.AE3:
                PeerMaxPduLength = ((AssociateAccept)pdu).UserInformation.MaximumLength ?? 0;
                return new UpperLayerIndication(UpperLayerIndicationKind.AssociateAccept, pdu);
            case StateMachineAction.AE4:
                await CloseTransportAsync().ConfigureAwait(false);
                return new UpperLayerIndication(UpperLayerIndicationKind.AssociateReject, pdu);
            case StateMachineAction.AE6 when acceptable:
                PeerMaxPduLength = ((AssociateRequest)pdu).UserInformation.MaximumLength ?? 0;
                return new UpperLayerIndication(UpperLayerIndicationKind.AssociateRequest, pdu);
            case StateMachineAction.AE6:
                var reject = AssociateReject.ProtocolVersionNotSupported();
                await TrySendAsync(reject, cancellationToken).ConfigureAwait(false);
                return new UpperLayerIndication(UpperLayerIndicationKind.AssociateRejectedByProvider, reject);
            case StateMachineAction.DT2:
            case StateMachineAction.AR6:
                return new UpperLayerIndication(UpperLayerIndicationKind.PData, pdu);
            case StateMachineAction.AR2:
            case StateMachineAction.AR8:
                return new UpperLayerIndication(UpperLayerIndicationKind.ReleaseRequest, pdu);
            case StateMachineAction.AR3:
                await CloseTransportAsync().ConfigureAwait(false);
                return new UpperLayerIndication(UpperLayerIndicationKind.ReleaseConfirmation, pdu);
            case StateMachineAction.AR10:
                return new UpperLayerIndication(UpperLayerIndicationKind.ReleaseConfirmation, pdu);
            case StateMachineAction.AA3:
                await CloseTransportAsync().ConfigureAwait(false);
                return new UpperLayerIndication(UpperLayerIndicationKind.Abort, pdu);
            case StateMachineAction.AA2:
                await CloseTransportAsync().ConfigureAwait(false);
                return new UpperLayerIndication(before == AssociationState.Sta13 ? UpperLayerIndicationKind.Closed : UpperLayerIndicationKind.Abort, pdu);
            case StateMachineAction.AA1:
                // A PDU other than A-ASSOCIATE-RQ on a fresh connection.
                await TrySendAsync(Abort.ByServiceUser(), cancellationToken).ConfigureAwait(false);
                return new UpperLayerIndication(UpperLayerIndicationKind.ProviderAbort, pdu);
            case StateMachineAction.AA8:
                await TrySendAsync(Abort.ByServiceProvider(AbortReason.UnexpectedPdu), cancellationToken).ConfigureAwait(false);
                return new UpperLayerIndication(UpperLayerIndicationKind.ProviderAbort, pdu);
            case StateMachineAction.AA7:
                await TrySendAsync(Abort.ByServiceProvider(AbortReason.UnexpectedPdu), cancellationToken).ConfigureAwait(false);
                return null;
            default:
                // AA-6: ignore the PDU and keep waiting for the close.
                return null;
        }
    }

    private async ValueTask<UpperLayerIndication?> OnInvalidPduAsync(PduRejectionReason rejection, CancellationToken cancellationToken)
    {
        if (!StateMachine.CanFire(AssociationEvent.Evt19))
        {
            await CloseTransportAsync().ConfigureAwait(false);
            return new UpperLayerIndication(UpperLayerIndicationKind.ProviderAbort, Rejection: rejection);
        }
        var action = StateMachine.Fire(AssociationEvent.Evt19);
        Abort abort = action == StateMachineAction.AA1 ? Abort.ByServiceUser() : Abort.ByServiceProvider(rejection.ToAbortReason());
        await TrySendAsync(abort, cancellationToken).ConfigureAwait(false);
        return action == StateMachineAction.AA7 ? null : new UpperLayerIndication(UpperLayerIndicationKind.ProviderAbort, abort, rejection);
    }

    private async ValueTask<UpperLayerIndication> OnTransportClosedAsync()
    {
        var kind = UpperLayerIndicationKind.Closed;
        if (State != AssociationState.Sta1 && StateMachine.CanFire(AssociationEvent.Evt17))
        {
            // AA-4 (an association or its negotiation was cut off) is an A-P-ABORT; AA-5 and AR-5 are ordinary ends.
            if (StateMachine.Fire(AssociationEvent.Evt17) == StateMachineAction.AA4)
            {
                kind = UpperLayerIndicationKind.ProviderAbort;
            }
        }
        await CloseTransportAsync().ConfigureAwait(false);
        return new UpperLayerIndication(kind);
    }

    private async ValueTask TrySendAsync(Pdu pdu, CancellationToken cancellationToken)
    {
        try
        {
            await SendPduAsync(pdu, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The peer may be gone; the state machine has moved on regardless.
        }
    }

    private async ValueTask SendPduAsync(Pdu pdu, CancellationToken cancellationToken)
    {
        var bytes = PduWriter.ToArray(pdu);
        await WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (closed)
        {
            throw new IOException("The transport connection is closed.");
        }
        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        // One timer source for the connection, re-armed per write (a linked source per PDV would be an allocation and
        // a timer each); the caller's token is hooked to it only when it can fire.
        if (!sendTimeout.TryReset())
        {
            sendTimeout.Dispose();
            sendTimeout = new CancellationTokenSource();
        }
        sendTimeout.CancelAfter(options.SendTimeout);
        using var link = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), sendTimeout)
            : default;
        try
        {
            await transport.WriteAsync(bytes, sendTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await CloseTransportAsync().ConfigureAwait(false);
            throw new IOException($"The peer did not read for {options.SendTimeout.TotalSeconds:0.#} s.");
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            await CloseTransportAsync().ConfigureAwait(false);
            throw new IOException("The transport connection failed while sending.", e);
        }
        finally
        {
            sendTimeout.CancelAfter(Timeout.InfiniteTimeSpan);
            sendLock.Release();
        }
    }

    private void ReleasePending()
    {
        if (pendingConsumed is { } consumed)
        {
            pendingConsumed = null;
            input.AdvanceTo(consumed);
        }
    }

    private async ValueTask CloseTransportAsync()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        readTimer.Stop();
        StateMachine.Artim?.Stop();
        if (pendingConsumed is not null)
        {
            ReleasePending();
        }
        await input.CompleteAsync().ConfigureAwait(false);
        try
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            // Closing a broken connection may fail (e.g. a TLS close_notify); it is closed either way.
        }
    }

    private static bool IsTransportFailure(Exception e) =>
        e is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException;
}
