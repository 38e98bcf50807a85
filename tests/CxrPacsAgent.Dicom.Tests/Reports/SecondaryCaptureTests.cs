using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Reports;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Reports;

/// <summary>The Secondary Capture Image IOD builder: valid for dciodvfy, pixels as given, provenance and lossy history kept.</summary>
public sealed class SecondaryCaptureTests
{
    private static SecondaryCaptureHeader Header(bool burnedIn = false) => new()
    {
        SopInstanceUid = "2.25.10",
        SeriesInstanceUid = "2.25.11",
        SeriesNumber = 9902,
        SeriesDescription = "AI result picture (test)",
        ContentDateTime = Documents.When,
        Equipment = Documents.Agent,
        ContributingEquipment = [new ContributingEquipment(Codes.ProcessingEquipment, Documents.Agent)],
        DerivationDescription = "test picture",
        DerivationCodes = [new CodedConcept("113085", "DCM", "Spatial resampling")],
        SourceImages = [SopReference.Of(Sources.Dx())],
        BurnedInAnnotation = burnedIn,
    };

    private static byte[] Pixels(int width, int height) => [.. Enumerable.Range(0, width * height * 3).Select(i => (byte)(i * 7))];

    [Fact]
    public void Picture_is_valid_and_holds_the_pixels_and_provenance()
    {
        using var temp = new TempDirectory("sc");
        var ds = SecondaryCapture.Build(Sources.Dx(), Header(), 31, 17, Pixels(31, 17));
        var path = Documents.Save(ds, temp.File("sc.dcm"));
        Judges.AssertValid(path, Judges.ContributingDeviceUid);

        var read = DicomFile.Open(path).Dataset;
        Assert.Equal(Pixels(31, 17), read.TryGetElement(DicomTags.PixelData, out var pixels) ? pixels.Buffer.Memory.ToArray()[..(31 * 17 * 3)] : null);
        Assert.Equal(("RGB", 3, 17, 31), (read.GetString(DicomTags.PhotometricInterpretation), (int)read.GetUInt16(DicomTags.SamplesPerPixel),
            (int)read.GetUInt16(DicomTags.Rows), (int)read.GetUInt16(DicomTags.Columns)));
        Assert.Equal(("WSD", "OT", "NO", "00"), (read.GetString(DicomTags.ConversionType), read.GetString(DicomTags.Modality),
            read.GetString(DicomTags.BurnedInAnnotation), read.GetString(DicomTags.LossyImageCompression)));
        var sourceImage = read.GetSequence(DicomTags.SourceImageSequence)!.Items.Single();
        Assert.Equal(Sources.InstanceUid, sourceImage.GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal("121322", sourceImage.GetSequence(DicomTags.PurposeOfReferenceCodeSequence)!.Items[0].GetString(DicomTags.CodeValue));
        Assert.Equal(("Doe^Jane", "ACC-42", Sources.StudyUid), (read.GetString(DicomTags.PatientName), read.GetString(DicomTags.AccessionNumber),
            read.GetString(DicomTags.StudyInstanceUID)));
        Assert.Equal("CHEST", read.GetString(DicomTags.BodyPartExamined));
    }

    [Fact]
    public void A_lossy_source_keeps_its_history_and_burned_in_annotation_is_as_declared()
    {
        var source = Sources.Dx();
        source.AddOrUpdate(DicomTags.LossyImageCompression, "01");
        source.AddOrUpdate(DicomTags.LossyImageCompressionRatio, "12.5");
        source.AddOrUpdate(DicomTags.LossyImageCompressionMethod, "ISO_10918_1");
        var ds = SecondaryCapture.Build(source, Header(burnedIn: true), 4, 4, Pixels(4, 4));
        Assert.Equal(("01", "12.5", "ISO_10918_1", "YES"), (ds.GetString(DicomTags.LossyImageCompression),
            ds.GetString(DicomTags.LossyImageCompressionRatio), ds.GetString(DicomTags.LossyImageCompressionMethod),
            ds.GetString(DicomTags.BurnedInAnnotation)));
    }

    [Fact]
    public void Wrong_pixel_count_and_a_source_without_study_are_refused()
    {
        Assert.Throws<ArgumentException>(() => SecondaryCapture.Build(Sources.Dx(), Header(), 4, 4, Pixels(4, 3)));
        var noStudy = Sources.Dx();
        noStudy.Remove(DicomTags.StudyInstanceUID);
        Assert.Contains("Study Instance UID", Assert.Throws<ArgumentException>(() => SecondaryCapture.Build(noStudy, Header(), 4, 4, Pixels(4, 4))).Message,
            StringComparison.Ordinal);
    }
}
