namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>
/// SOP Class Common Extended Negotiation sub-item (57H, PS3.7 D.3.3.6): the service class of a SOP class and the
/// general SOP classes it specialises.
/// </summary>
public sealed record SopClassCommonExtendedNegotiation(string SopClassUid, string ServiceClassUid,
    IReadOnlyList<string> RelatedGeneralSopClassUids);
