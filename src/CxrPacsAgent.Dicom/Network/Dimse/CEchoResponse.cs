using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Network.Dimse;

/// <summary>C-ECHO-RSP (PS3.7 9.3.5.2).</summary>
public sealed class CEchoResponse(ushort messageIdBeingRespondedTo, DimseStatus status,
    string affectedSopClassUid = DicomUids.Verification) : DimseMessage
{
    public ushort MessageIdBeingRespondedTo { get; } = messageIdBeingRespondedTo;

    public DimseStatus Status { get; } = status;

    public string AffectedSopClassUid { get; } = affectedSopClassUid;

    public override CommandField CommandField => CommandField.CEchoResponse;

    public override bool HasDataset => false;

    protected override void Fill(DicomDataset command)
    {
        CommandSet.SetUid(command, DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        CommandSet.SetUInt16(command, DicomTags.MessageIDBeingRespondedTo, MessageIdBeingRespondedTo);
        CommandSet.SetUInt16(command, DicomTags.Status, Status.Code);
    }

    public static CEchoResponse FromCommand(DicomDataset command) =>
        new(CommandSet.GetUInt16(command, DicomTags.MessageIDBeingRespondedTo) ?? 0,
            new DimseStatus(CommandSet.GetUInt16(command, DicomTags.Status) ?? DimseStatus.ProcessingFailure.Code),
            CommandSet.GetText(command, DicomTags.AffectedSOPClassUID) ?? DicomUids.Verification);
}
