using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Reports;

/// <summary>
/// The Hierarchical SOP Instance Reference Macro (PS3.3 Table C.17-3): instances grouped by study, then series, as
/// Current Requested Procedure Evidence and Pertinent Other Evidence Sequences list them.
/// </summary>
public static class EvidenceReferences
{
    /// <summary>Writes <paramref name="references"/> (each with its study and series) as sequence <paramref name="tag"/>; nothing when empty.</summary>
    public static void Write(DicomDataset ds, DicomTag tag, IEnumerable<SopReference> references)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(references);
        var list = references.Distinct().ToList();
        if (list.Count == 0)
        {
            return;
        }
        var studies = ds.AddSequence(tag);
        foreach (var study in list.GroupBy(r => Required(r.StudyInstanceUid, "Study Instance UID", r)))
        {
            var studyItem = new DicomDataset();
            studies.Items.Add(studyItem);
            studyItem.AddOrUpdate(DicomTags.StudyInstanceUID, study.Key);
            var seriesSequence = studyItem.AddSequence(DicomTags.ReferencedSeriesSequence);
            foreach (var series in study.GroupBy(r => Required(r.SeriesInstanceUid, "Series Instance UID", r)))
            {
                var seriesItem = new DicomDataset();
                seriesSequence.Items.Add(seriesItem);
                seriesItem.AddOrUpdate(DicomTags.SeriesInstanceUID, series.Key);
                var instances = seriesItem.AddSequence(DicomTags.ReferencedSOPSequence);
                foreach (var instance in series)
                {
                    var instanceItem = new DicomDataset();
                    instances.Items.Add(instanceItem);
                    instanceItem.AddOrUpdate(DicomTags.ReferencedSOPClassUID, instance.SopClassUid);
                    instanceItem.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, instance.SopInstanceUid);
                }
            }
        }
    }

    /// <summary>Every instance a hierarchical reference sequence lists, with its study and series.</summary>
    public static IReadOnlyList<SopReference> Read(DicomDataset ds, DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(ds);
        return [.. from study in ds.GetSequence(tag)?.Items ?? []
                   from series in study.GetSequence(DicomTags.ReferencedSeriesSequence)?.Items ?? []
                   from instance in series.GetSequence(DicomTags.ReferencedSOPSequence)?.Items ?? []
                   select new SopReference(instance.GetString(DicomTags.ReferencedSOPClassUID) ?? "",
                       instance.GetString(DicomTags.ReferencedSOPInstanceUID) ?? "",
                       study.GetString(DicomTags.StudyInstanceUID), series.GetString(DicomTags.SeriesInstanceUID))];
    }

    private static string Required(string? uid, string what, SopReference reference) =>
        uid ?? throw new ArgumentException($"evidence {reference.SopInstanceUid} has no {what}", nameof(reference));
}
