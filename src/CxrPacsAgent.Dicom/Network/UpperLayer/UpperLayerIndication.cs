using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Network.UpperLayer;

/// <summary>What the upper layer tells its user (PS3.8 7: indication and confirmation primitives).</summary>
public enum UpperLayerIndicationKind
{
    /// <summary>A-ASSOCIATE indication: an acceptable A-ASSOCIATE-RQ arrived (now Sta3).</summary>
    AssociateRequest,
    /// <summary>A-ASSOCIATE confirmation (accept).</summary>
    AssociateAccept,
    /// <summary>A-ASSOCIATE confirmation (reject); the connection is closed.</summary>
    AssociateReject,
    /// <summary>The provider rejected an A-ASSOCIATE-RQ itself (AE-6), e.g. for its protocol version.</summary>
    AssociateRejectedByProvider,
    /// <summary>P-DATA indication; the PDVs are valid until the next receive.</summary>
    PData,
    /// <summary>A-RELEASE indication (also in a release collision).</summary>
    ReleaseRequest,
    /// <summary>A-RELEASE confirmation.</summary>
    ReleaseConfirmation,
    /// <summary>A-ABORT indication: the peer sent an A-ABORT PDU.</summary>
    Abort,
    /// <summary>A-P-ABORT indication: the provider aborted (invalid or unexpected PDU, lost connection).</summary>
    ProviderAbort,
    /// <summary>Nothing arrived within the read timeout the user gave; the association is untouched.</summary>
    Timeout,
    /// <summary>The transport connection is closed (Sta1).</summary>
    Closed,
}

/// <summary>One indication; <see cref="Pdu"/> is the PDU that caused it, if any.</summary>
public readonly record struct UpperLayerIndication(UpperLayerIndicationKind Kind, Pdu? Pdu = null,
    PduRejectionReason Rejection = PduRejectionReason.None)
{
    public PDataTransfer PData => (PDataTransfer)Pdu!;

    /// <summary>How an association that ends with this indication failed, for logs and metrics.</summary>
    public AssociationFailure Failure => Kind switch
    {
        UpperLayerIndicationKind.Abort => AssociationFailure.AbortedByPeer,
        UpperLayerIndicationKind.ProviderAbort when Rejection != PduRejectionReason.None => AssociationFailure.InvalidPdu,
        UpperLayerIndicationKind.ProviderAbort when Pdu is not null => AssociationFailure.UnexpectedPdu,
        UpperLayerIndicationKind.AssociateReject or UpperLayerIndicationKind.AssociateRejectedByProvider => AssociationFailure.Rejected,
        UpperLayerIndicationKind.Timeout => AssociationFailure.DimseTimeout,
        UpperLayerIndicationKind.ProviderAbort or UpperLayerIndicationKind.Closed => AssociationFailure.ConnectionLost,
        _ => AssociationFailure.None,
    };

    /// <summary>The indication for a log line: its kind, the A-ABORT or the rejection reason.</summary>
    public override string ToString() => Kind + (Pdu is Abort abort ? " " + abort : "")
        + (Rejection != PduRejectionReason.None ? $" ({Rejection})" : "");
}
