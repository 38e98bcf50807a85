using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Tests.Reports;

/// <summary>Header-only source instances for the report builders (no pixels: SR and SC take nothing else from them).</summary>
internal static class Sources
{
    public const string StudyUid = "1.2.826.0.1.3680043.8.498.1";
    public const string SeriesUid = "1.2.826.0.1.3680043.8.498.1.1";
    public const string InstanceUid = "1.2.826.0.1.3680043.8.498.1.1.1";

    public static DicomDataset Dx(string? charset = null, string patientName = "Doe^Jane", bool accession = true)
    {
        var ds = new DicomDataset();
        if (charset is not null)
        {
            ds.AddOrUpdate(DicomTags.SpecificCharacterSet, charset.Split('\\'));
        }
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.DigitalXRayImageStorageForPresentation);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, InstanceUid);
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, StudyUid);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, SeriesUid);
        ds.AddOrUpdate(DicomTags.PatientName, patientName);
        ds.AddOrUpdate(DicomTags.PatientID, "PID-1");
        ds.AddOrUpdate(DicomTags.PatientBirthDate, "19700101");
        ds.AddOrUpdate(DicomTags.PatientSex, "F");
        ds.AddOrUpdate(DicomTags.StudyDate, "20260105");
        ds.AddOrUpdate(DicomTags.StudyTime, "101500");
        ds.AddOrUpdate(DicomTags.StudyID, "S1");
        ds.AddOrUpdate(DicomTags.ReferringPhysicianName, "");
        if (accession)
        {
            ds.AddOrUpdate(DicomTags.AccessionNumber, "ACC-42");
        }
        ds.AddOrUpdate(DicomTags.Modality, "DX");
        ds.AddOrUpdate(DicomTags.BodyPartExamined, "CHEST");
        return ds;
    }
}
