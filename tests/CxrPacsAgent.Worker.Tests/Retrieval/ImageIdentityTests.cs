using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Retrieval.Patients;
using CxrPacsAgent.Worker.Retrieval;
using CxrPacsAgent.Worker.Tests.Cli;

namespace CxrPacsAgent.Worker.Tests.Retrieval;

public sealed class ImageIdentityTests
{
    private static readonly PatientIdHasher Hasher = new(new byte[32]);

    [Fact]
    public void A_DICOM_header_gives_the_UIDs_pydicom_reads_and_the_patient_only_as_its_hash()
    {
        var path = Path.Combine(CliRunner.SharedData, "dicom-samples", "chest_radiographs", "NIH-CXR14_Covid0000_nhsx.dcm");
        var identity = ImageIdentity.FromDataset(DicomFile.Open(path).Dataset, Hasher);
        var (code, stdout, stderr) = CliRunner.Start("/usr/bin/python3", "-c", """
            import sys, pydicom
            d = pydicom.dcmread(sys.argv[1], force=True)
            print(d.SOPInstanceUID, d.SeriesInstanceUID, d.StudyInstanceUID, d.get('PatientID', ''), d.get('IssuerOfPatientID', ''))
            """, path);
        Assert.True(code == 0, stderr);
        var judge = stdout.Trim().Split(' ');
        Assert.Equal(judge[..3], new[] { identity.SopInstanceUid, identity.SeriesInstanceUid, identity.StudyInstanceUid });
        Assert.Equal(Hasher.Hash(judge[3], judge.Length > 4 ? judge[4] : null), identity.PatientKey);
        Assert.DoesNotContain(judge[3], identity.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Acquisition_time_comes_from_the_first_date_and_time_the_header_has()
    {
        var dataset = Minimal();
        Assert.Null(ImageIdentity.FromDataset(dataset, Hasher).AcquiredAt);
        dataset.AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, "20240229").AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, "0705");
        Assert.Equal(new DateTime(2024, 2, 29, 7, 5, 0), ImageIdentity.FromDataset(dataset, Hasher).AcquiredAt);
        dataset.AddOrUpdate(DicomTags.AcquisitionDateTime, DicomVR.DT, "20240301123456.789+0100");
        Assert.Equal(new DateTime(2024, 3, 1, 12, 34, 56), ImageIdentity.FromDataset(dataset, Hasher).AcquiredAt);
        dataset.AddOrUpdate(DicomTags.AcquisitionDateTime, DicomVR.DT, "2024");
        Assert.Equal(new DateTime(2024, 2, 29, 7, 5, 0), ImageIdentity.FromDataset(dataset, Hasher).AcquiredAt);
    }

    [Fact]
    public void An_image_without_a_Study_Instance_UID_cannot_be_named()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4")
            .AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.3");
        var e = Assert.Throws<InvalidDataException>(() => ImageIdentity.FromDataset(dataset, Hasher));
        Assert.Contains("Study Instance UID", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Research_pictures_get_stable_name_based_UIDs_one_study_each()
    {
        var a = ImageIdentity.ForResearchFile("kermany-pneumonia-224", "train/NORMAL/x.jpeg", "P1", Hasher);
        var again = ImageIdentity.ForResearchFile("kermany-pneumonia-224", "train\\NORMAL\\x.jpeg", "P1", Hasher);
        var b = ImageIdentity.ForResearchFile("kermany-pneumonia-224", "train/NORMAL/y.jpeg", "P1", Hasher);
        Assert.Equal(a, again);
        Assert.NotEqual(a.StudyInstanceUid, b.StudyInstanceUid);
        Assert.Equal(a.PatientKey, b.PatientKey);
        foreach (var uid in new[] { a.SopInstanceUid, a.SeriesInstanceUid, a.StudyInstanceUid })
        {
            Assert.True(DicomUid.IsValid(uid), uid);
            Assert.StartsWith("2.25.", uid, StringComparison.Ordinal);
        }
        Assert.Equal(3, new[] { a.SopInstanceUid, a.SeriesInstanceUid, a.StudyInstanceUid }.Distinct().Count());
        // RFC 9562 version 8: the UUID's 13th hex digit is 8.
        var hex = System.Numerics.BigInteger.Parse(a.SopInstanceUid[5..], System.Globalization.CultureInfo.InvariantCulture).ToString("x32", System.Globalization.CultureInfo.InvariantCulture)[^32..];
        Assert.Equal('8', hex[12]);
    }

    private static DicomDataset Minimal() => new DicomDataset()
        .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4")
        .AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.3")
        .AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2");
}
