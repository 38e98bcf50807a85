namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>
/// SOP Class Extended Negotiation sub-item (56H, PS3.7 D.3.3.5): service-class-specific bytes, e.g. the storage
/// levels of PS3.4 B.3.1.
/// </summary>
public sealed record SopClassExtendedNegotiation(string SopClassUid, ReadOnlyMemory<byte> ServiceClassApplicationInformation);
