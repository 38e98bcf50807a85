namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>A-ASSOCIATE-AC PDU (PS3.8 9.3.3).</summary>
public sealed class AssociateAccept : Pdu
{
    public override PduType Type => PduType.AssociateAccept;

    public ushort ProtocolVersion { get; set; } = 1;

    /// <summary>Reserved: sent as received in the A-ASSOCIATE-RQ, not tested on receipt.</summary>
    public string CalledAeTitle { get; set; } = "";

    /// <summary>Reserved: sent as received in the A-ASSOCIATE-RQ, not tested on receipt.</summary>
    public string CallingAeTitle { get; set; } = "";

    public string ApplicationContextName { get; set; } = ApplicationContext.Dicom;

    public List<PresentationContextResult> PresentationContexts { get; } = [];

    public UserInformation UserInformation { get; set; } = new();
}
