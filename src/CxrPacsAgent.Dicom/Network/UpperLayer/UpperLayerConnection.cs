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
public sealed partial class UpperLayerConnection : IAsyncDisposable
{
    private readonly Stream transport;
    private readonly PipeReader input;
    private readonly UpperLayerOptions options;
    private readonly DeadlineTimer readTimer;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly PduReaderLimits limits;
    private CancellationTokenSource sendTimeout = new();
    private byte[]? sendBuffer;
    private SequencePosition? pendingConsumed;
    private bool desynchronized;
    private bool closed;

    public UpperLayerConnection(Stream transport, bool isRequestor, UpperLayerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        this.transport = transport;
        this.options = options ?? UpperLayerOptions.Default;
        // Zero-byte reads: a connection waiting for data holds no buffer, so idle connections cost almost nothing.
        input = PipeReader.Create(transport, new StreamPipeReaderOptions(bufferSize: 256 * 1024, minimumReadSize: 64 * 1024,
            leaveOpen: true, useZeroByteReads: true));
        limits = new PduReaderLimits(this.options.MaxReceivePduLengthAccepted, this.options.MaxAssociatePduLength);
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

    /// <summary>
    /// P-DATA-TF PDUs received that were longer than the Maximum Length we announced but within the hard limit
    /// (<see cref="UpperLayerOptions.ReceivePduHardLimit"/>): tolerated, counted so the peer can be named in a log.
    /// </summary>
    public int OversizePDataCount { get; private set; }

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
        // The timer is armed the first time a read has to wait, not for reads the buffer already satisfies: with data
        // flowing, most PDUs arrive without one (and its cost). It then runs until this call returns.
        var armTimer = timeout is not null && State is not (AssociationState.Sta2 or AssociationState.Sta13);
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    var read = input.ReadAsync(cancellationToken);
                    if (armTimer && !read.IsCompleted)
                    {
                        armTimer = false;
                        readTimer.Start(timeout!.Value);
                    }
                    result = await read.ConfigureAwait(false);
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
                if (pdu is PDataTransfer && options.MaxReceivePduLength != 0
                    && reader.Consumed - Pdu.HeaderLength > options.MaxReceivePduLength)
                {
                    OversizePDataCount++;
                }
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
