using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Network.Dimse;

/// <summary>C-ECHO-RQ (PS3.7 9.3.5.1).</summary>
public sealed class CEchoRequest(ushort messageId, string affectedSopClassUid = DicomUids.Verification) : DimseMessage
{
    public ushort MessageId { get; } = messageId;

    public string AffectedSopClassUid { get; } = affectedSopClassUid;

    public override CommandField CommandField => CommandField.CEchoRequest;

    public override bool HasDataset => false;

    protected override void Fill(DicomDataset command)
    {
        CommandSet.SetUid(command, DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        CommandSet.SetUInt16(command, DicomTags.MessageID, MessageId);
    }

    public static CEchoRequest FromCommand(DicomDataset command) =>
        new(CommandSet.GetUInt16(command, DicomTags.MessageID) ?? 0,
            CommandSet.GetText(command, DicomTags.AffectedSOPClassUID) ?? DicomUids.Verification);
}
