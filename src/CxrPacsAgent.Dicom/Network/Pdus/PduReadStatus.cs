namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>Outcome of trying to read one PDU from buffered bytes.</summary>
public enum PduReadStatus
{
    /// <summary>Not all of the PDU has arrived; nothing was consumed.</summary>
    Incomplete,
    /// <summary>One PDU was read and consumed.</summary>
    Complete,
    /// <summary>The bytes are not a valid PDU; the reason says why and maps to an A-ABORT reason.</summary>
    Rejected,
}
