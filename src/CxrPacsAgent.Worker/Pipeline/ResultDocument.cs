namespace CxrPacsAgent.Worker.Pipeline;

/// <summary>
/// A result file the report stage wrote: a DICOM object (SR, SC) with its SOP Class and Instance UIDs, to be sent to
/// the destinations, or a file that stays in the results folder (the JSON result).
/// </summary>
public sealed record ResultDocument(string Path, string? SopClassUid = null, string? SopInstanceUid = null)
{
    public bool IsDicom => SopInstanceUid is not null && SopClassUid is not null;
}
