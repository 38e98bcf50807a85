namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>A protocol data unit of the DICOM upper layer (PS3.8 9.3).</summary>
public abstract class Pdu
{
    /// <summary>Every PDU starts with type, a reserved byte and a 32-bit big-endian length (PS3.8 9.3.1).</summary>
    public const int HeaderLength = 6;

    public abstract PduType Type { get; }
}
