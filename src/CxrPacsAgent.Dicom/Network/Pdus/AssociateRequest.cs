namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>A-ASSOCIATE-RQ PDU (PS3.8 9.3.2).</summary>
public sealed class AssociateRequest : Pdu
{
    public override PduType Type => PduType.AssociateRequest;

    /// <summary>Bit 0 set means version 1, the only one there is.</summary>
    public ushort ProtocolVersion { get; set; } = 1;

    public string CalledAeTitle { get; set; } = "";

    public string CallingAeTitle { get; set; } = "";

    public string ApplicationContextName { get; set; } = ApplicationContext.Dicom;

    public List<PresentationContextProposal> PresentationContexts { get; } = [];

    public UserInformation UserInformation { get; set; } = new();
}
