namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>A-RELEASE-RQ PDU (PS3.8 9.3.6): four reserved bytes.</summary>
public sealed class ReleaseRequest : Pdu
{
    public static ReleaseRequest Instance { get; } = new();

    public override PduType Type => PduType.ReleaseRequest;
}
