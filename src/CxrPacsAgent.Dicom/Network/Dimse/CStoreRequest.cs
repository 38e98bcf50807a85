using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Network.Dimse;

/// <summary>C-STORE-RQ (PS3.7 9.3.1.1); the data set follows as its own PDVs.</summary>
public sealed class CStoreRequest(ushort messageId, string affectedSopClassUid, string affectedSopInstanceUid,
    DimsePriority priority = DimsePriority.Medium) : DimseMessage
{
    public ushort MessageId { get; } = messageId;

    public string AffectedSopClassUid { get; } = affectedSopClassUid;

    public string AffectedSopInstanceUid { get; } = affectedSopInstanceUid;

    public DimsePriority Priority { get; } = priority;

    /// <summary>Set when the store is a sub-operation of a C-MOVE.</summary>
    public string? MoveOriginatorAeTitle { get; init; }

    public ushort? MoveOriginatorMessageId { get; init; }

    public override CommandField CommandField => CommandField.CStoreRequest;

    public override bool HasDataset => true;

    protected override void Fill(DicomDataset command)
    {
        CommandSet.SetUid(command, DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        CommandSet.SetUInt16(command, DicomTags.MessageID, MessageId);
        CommandSet.SetUInt16(command, DicomTags.Priority, (ushort)Priority);
        CommandSet.SetUid(command, DicomTags.AffectedSOPInstanceUID, AffectedSopInstanceUid);
        if (MoveOriginatorAeTitle is not null)
        {
            command.AddOrUpdate(DicomTags.MoveOriginatorApplicationEntityTitle, DicomVR.AE, MoveOriginatorAeTitle);
        }
        if (MoveOriginatorMessageId is { } id)
        {
            CommandSet.SetUInt16(command, DicomTags.MoveOriginatorMessageID, id);
        }
    }

    /// <summary>Null fields are those the request lacks; the caller decides what a missing one means.</summary>
    public static CStoreRequest FromCommand(DicomDataset command) =>
        new(CommandSet.GetUInt16(command, DicomTags.MessageID) ?? 0,
            CommandSet.GetText(command, DicomTags.AffectedSOPClassUID) ?? "",
            CommandSet.GetText(command, DicomTags.AffectedSOPInstanceUID) ?? "",
            (DimsePriority)(CommandSet.GetUInt16(command, DicomTags.Priority) ?? 0))
        {
            MoveOriginatorAeTitle = CommandSet.GetText(command, DicomTags.MoveOriginatorApplicationEntityTitle),
            MoveOriginatorMessageId = CommandSet.GetUInt16(command, DicomTags.MoveOriginatorMessageID),
        };
}
