using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Network.UpperLayer;

/// <summary>The request and response primitives of the local user (PS3.8 7), each an event of the state machine.</summary>
public sealed partial class UpperLayerConnection
{
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
}
