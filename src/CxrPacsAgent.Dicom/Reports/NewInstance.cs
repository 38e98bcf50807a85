using System.Globalization;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Reports;

/// <summary>
/// What every instance made for a source's study starts with: Patient and Study copied from the source, SOP Common
/// (class, instance, creation date/time, contributing equipment) and the series attributes of a new series.
/// </summary>
internal static class NewInstance
{
    /// <returns>The data set, and <paramref name="moment"/> in the source's time zone (for the instance's other dates).</returns>
    public static (DicomDataset Dataset, DateTimeOffset When) Start(DicomDataset source, string sopClassUid, string sopInstanceUid,
        string modality, string seriesInstanceUid, int seriesNumber, string? seriesDescription, DateTimeOffset moment,
        IReadOnlyList<ContributingEquipment> contributions)
    {
        var ds = new DicomDataset();
        StudyContext.Copy(source, ds);
        var when = SourceTime.InZoneOf(ds, moment);
        ds.AddOrUpdate(DicomTags.SOPClassUID, sopClassUid);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, sopInstanceUid);
        ds.AddOrUpdate(DicomTags.InstanceCreationDate, DicomDateTimes.Date(when));
        ds.AddOrUpdate(DicomTags.InstanceCreationTime, DicomDateTimes.Time(when));
        ContributingEquipment.Write(ds, contributions);
        ds.AddOrUpdate(DicomTags.Modality, modality);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, seriesInstanceUid);
        ds.AddOrUpdate(DicomTags.SeriesNumber, Integer(seriesNumber));
        ds.AddOrUpdate(DicomTags.SeriesDate, DicomDateTimes.Date(when));
        ds.AddOrUpdate(DicomTags.SeriesTime, DicomDateTimes.Time(when));
        if (seriesDescription is not null)
        {
            ds.AddOrUpdate(DicomTags.SeriesDescription, seriesDescription);
        }
        return (ds, when);
    }

    public static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);
}
