namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>Why bytes from a peer are not a valid PDU (the Kestrel RequestRejectionReason of this protocol).</summary>
public enum PduRejectionReason
{
    None = 0,
    /// <summary>The PDU-type byte is none of PS3.8 9.3.</summary>
    UnrecognizedPduType,
    /// <summary>The PDU-length is beyond what we announced or accept for this PDU type.</summary>
    PduTooLong,
    /// <summary>The PDU-length is too short for the fixed fields, or wrong for a fixed-length PDU.</summary>
    InvalidPduLength,
    /// <summary>An item or sub-item claims more bytes than its container has left.</summary>
    ItemOverrunsContainer,
    /// <summary>A fixed-length item (Maximum Length, Asynchronous Operations Window, …) has another length.</summary>
    InvalidItemLength,
    /// <summary>An item is known but not allowed where it appears (e.g. an AC presentation context in an RQ).</summary>
    UnexpectedItem,
    /// <summary>An item that may occur once occurs again.</summary>
    DuplicateItem,
    MissingApplicationContext,
    MissingPresentationContext,
    MissingUserInformation,
    MissingAbstractSyntax,
    MissingTransferSyntax,
    /// <summary>Presentation context IDs are odd numbers 1–255 (PS3.8 9.3.2.2).</summary>
    InvalidPresentationContextId,
    /// <summary>Two presentation contexts of an A-ASSOCIATE-RQ share an ID, which must identify one (PS3.8 7.1.1.13).</summary>
    DuplicatePresentationContextId,
    /// <summary>A UID field is empty, longer than 64 characters or not digits and dots (PS3.8 Annex F).</summary>
    InvalidUid,
    /// <summary>A PDV item is shorter than its two header bytes.</summary>
    InvalidPdvLength,
    /// <summary>A P-DATA-TF PDU with no PDV item.</summary>
    EmptyPData,
}

public static class PduRejectionReasonExtensions
{
    /// <summary>The A-ABORT reason (PS3.8 Table 9-26) that reports this rejection to the peer.</summary>
    public static AbortReason ToAbortReason(this PduRejectionReason reason) => reason switch
    {
        PduRejectionReason.UnrecognizedPduType => AbortReason.UnrecognizedPdu,
        PduRejectionReason.UnexpectedItem or PduRejectionReason.DuplicateItem => AbortReason.UnexpectedPduParameter,
        PduRejectionReason.None => AbortReason.ReasonNotSpecified,
        _ => AbortReason.InvalidPduParameterValue,
    };
}
