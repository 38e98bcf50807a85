namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>A-RELEASE-RP PDU (PS3.8 9.3.7): four reserved bytes.</summary>
public sealed class ReleaseResponse : Pdu
{
    public static ReleaseResponse Instance { get; } = new();

    public override PduType Type => PduType.ReleaseResponse;
}
