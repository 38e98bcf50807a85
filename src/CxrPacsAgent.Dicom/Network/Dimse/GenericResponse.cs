using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Network.Dimse;

/// <summary>
/// A response to a request this implementation does not perform (e.g. C-FIND on a storage context): the request's
/// response command field with a failure status such as 0211H (unrecognized operation).
/// </summary>
public sealed class GenericResponse(CommandField commandField, ushort messageIdBeingRespondedTo, string? affectedSopClassUid,
    DimseStatus status) : DimseMessage
{
    public override CommandField CommandField { get; } = commandField;

    public override bool HasDataset => false;

    public ushort MessageIdBeingRespondedTo { get; } = messageIdBeingRespondedTo;

    public DimseStatus Status { get; } = status;

    protected override void Fill(DicomDataset command)
    {
        if (affectedSopClassUid is { Length: > 0 } uid)
        {
            CommandSet.SetUid(command, DicomTags.AffectedSOPClassUID, uid);
        }
        CommandSet.SetUInt16(command, DicomTags.MessageIDBeingRespondedTo, MessageIdBeingRespondedTo);
        CommandSet.SetUInt16(command, DicomTags.Status, Status.Code);
    }
}
