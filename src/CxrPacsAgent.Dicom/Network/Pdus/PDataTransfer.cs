namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>P-DATA-TF PDU (PS3.8 9.3.5): one or more presentation data values.</summary>
public sealed class PDataTransfer : Pdu
{
    public PDataTransfer() { }

    public PDataTransfer(IEnumerable<PresentationDataValue> values) => Values.AddRange(values);

    public override PduType Type => PduType.PDataTransfer;

    public List<PresentationDataValue> Values { get; } = [];
}
