using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Reports;

/// <summary>A reference to a composite instance (SOP Instance Reference Macro, PS3.3 Table 10-11), with where it lies.</summary>
/// <param name="SopClassUid">Referenced SOP Class UID (0008,1150).</param>
/// <param name="SopInstanceUid">Referenced SOP Instance UID (0008,1155).</param>
/// <param name="StudyInstanceUid">The instance's study, for evidence sequences; null when unknown (content items do not need it).</param>
/// <param name="SeriesInstanceUid">The instance's series, for evidence sequences.</param>
public sealed record SopReference(string SopClassUid, string SopInstanceUid, string? StudyInstanceUid = null, string? SeriesInstanceUid = null)
{
    /// <summary>Checks every UID given, so a bad one fails here, naming itself, rather than in a judge's report.</summary>
    public SopReference Validate()
    {
        foreach (var (name, uid) in new[] { ("SOP Class UID", SopClassUid), ("SOP Instance UID", SopInstanceUid),
                     ("Study Instance UID", StudyInstanceUid), ("Series Instance UID", SeriesInstanceUid) })
        {
            if (uid is not null && !DicomUid.IsValid(uid))
            {
                throw new ArgumentException($"{name} '{uid}' is not a valid UID", name);
            }
        }
        return this;
    }

    /// <summary>The instance a data set is: its SOP Class, SOP Instance, Study and Series Instance UIDs.</summary>
    public static SopReference Of(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new SopReference(Required(dataset, DicomTags.SOPClassUID), Required(dataset, DicomTags.SOPInstanceUID),
            dataset.GetString(DicomTags.StudyInstanceUID)?.Trim(), dataset.GetString(DicomTags.SeriesInstanceUID)?.Trim()).Validate();
    }

    private static string Required(DicomDataset dataset, DicomTag tag) =>
        dataset.GetString(tag)?.Trim() ?? throw new ArgumentException($"the data set has no {(DicomDictionary.TryGetEntry(tag, out var e) ? e.Name : "")} {tag}");
}
