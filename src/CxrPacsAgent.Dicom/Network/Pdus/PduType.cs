namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>The PDU-type byte of PS3.8 9.3 (Table 9-11 and the following tables).</summary>
public enum PduType : byte
{
    AssociateRequest = 0x01,
    AssociateAccept = 0x02,
    AssociateReject = 0x03,
    PDataTransfer = 0x04,
    ReleaseRequest = 0x05,
    ReleaseResponse = 0x06,
    Abort = 0x07,
}
