using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Network.Dimse;

/// <summary>C-STORE-RSP (PS3.7 9.3.1.2).</summary>
public sealed class CStoreResponse(ushort messageIdBeingRespondedTo, string affectedSopClassUid, string affectedSopInstanceUid,
    DimseStatus status) : DimseMessage
{
    public ushort MessageIdBeingRespondedTo { get; } = messageIdBeingRespondedTo;

    public string AffectedSopClassUid { get; } = affectedSopClassUid;

    public string AffectedSopInstanceUid { get; } = affectedSopInstanceUid;

    public DimseStatus Status { get; } = status;

    /// <summary>Error Comment (0000,0902): free text for failures and warnings, at most 64 characters.</summary>
    public string? ErrorComment { get; init; }

    /// <summary>Offending Element (0000,0901): the attributes a failure is about.</summary>
    public IReadOnlyList<DicomTag>? OffendingElements { get; init; }

    public override CommandField CommandField => CommandField.CStoreResponse;

    public override bool HasDataset => false;

    protected override void Fill(DicomDataset command)
    {
        if (AffectedSopClassUid.Length > 0)
        {
            CommandSet.SetUid(command, DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        }
        CommandSet.SetUInt16(command, DicomTags.MessageIDBeingRespondedTo, MessageIdBeingRespondedTo);
        CommandSet.SetUInt16(command, DicomTags.Status, Status.Code);
        if (OffendingElements is { Count: > 0 } tags)
        {
            command.AddOrUpdate(DicomTags.OffendingElement, [.. tags]);
        }
        if (ErrorComment is { } comment)
        {
            var text = new string(comment.Where(c => c is >= ' ' and < (char)0x7F and not '\\').Take(64).ToArray());
            command.AddOrUpdate(DicomTags.ErrorComment, DicomVR.LO, text);
        }
        if (AffectedSopInstanceUid.Length > 0)
        {
            CommandSet.SetUid(command, DicomTags.AffectedSOPInstanceUID, AffectedSopInstanceUid);
        }
    }

    public static CStoreResponse FromCommand(DicomDataset command) =>
        new(CommandSet.GetUInt16(command, DicomTags.MessageIDBeingRespondedTo) ?? 0,
            CommandSet.GetText(command, DicomTags.AffectedSOPClassUID) ?? "",
            CommandSet.GetText(command, DicomTags.AffectedSOPInstanceUID) ?? "",
            new DimseStatus(CommandSet.GetUInt16(command, DicomTags.Status) ?? DimseStatus.ProcessingFailure.Code))
        {
            ErrorComment = CommandSet.GetText(command, DicomTags.ErrorComment),
        };
}
