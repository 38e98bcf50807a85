using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Reports;

/// <summary>
/// An item of Coding Scheme Identification Sequence (0008,0110, PS3.3 C.12.1.1.3): says what a designator used in the
/// instance stands for; needed above all for private "99..." schemes, which no registry explains.
/// </summary>
public sealed record CodingScheme(string Designator, string Name, string? ResponsibleOrganization = null, string? Uid = null)
{
    public static void Write(DicomDataset ds, IReadOnlyList<CodingScheme> schemes)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(schemes);
        if (schemes.Count == 0)
        {
            return;
        }
        var sequence = ds.AddSequence(DicomTags.CodingSchemeIdentificationSequence);
        foreach (var scheme in schemes)
        {
            var item = new DicomDataset();
            sequence.Items.Add(item);
            item.AddOrUpdate(DicomTags.CodingSchemeDesignator, scheme.Designator);
            if (scheme.Uid is not null)
            {
                item.AddOrUpdate(DicomTags.CodingSchemeUID, scheme.Uid);
            }
            item.AddOrUpdate(DicomTags.CodingSchemeName, scheme.Name);
            if (scheme.ResponsibleOrganization is not null)
            {
                item.AddOrUpdate(DicomTags.CodingSchemeResponsibleOrganization, scheme.ResponsibleOrganization);
            }
        }
    }
}
