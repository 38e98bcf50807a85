using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Imaging;

/// <summary>The compressed files of dicom-samples (written by other toolkits) decode as DCMTK decodes them.</summary>
public sealed class SampleFileCodecTests
{
    public static TheoryData<string, string, int> Files() => new()
    {
        { "secondary_capture_codecs/dcmfx_TestPattern_Palette_16.jpeg_ls_lossless.dcm", "dcmdjpls", 0 },
        { "secondary_capture_codecs/fodicom_GH538-jpeg14sv1.dcm", "dcmdjpeg", 0 },
        { "secondary_capture_codecs/pydicom_SC_rgb_jpeg_gdcm.dcm", "dcmdjpeg", 0 },
        { "secondary_capture_codecs/pydicom_SC_rgb_rle.dcm", "dcmdrle", 0 },
        { "secondary_capture_codecs/pydicom_SC_rgb_dcmtk_+eb+cr.dcm", "dcmdjpeg", 1 },
        { "other_cr/fodicom_CR-ModalitySequenceLUT_dental_JPEGLossless.dcm", "dcmdjpeg", 0 },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Decodes_as_DCMTK_does(string relative, string decompressor, int tolerance)
    {
        using var temp = new TempDirectory("cxr-samples");
        var source = Path.Combine(RepositoryPaths.DicomSamples, relative);
        var reference = temp.File("reference.dcm");
        PixelSamplesFixture.Run(decompressor, [source, reference]);
        var ours = PixelSamplesFixture.OurPixels(source);
        var theirs = PixelSamplesFixture.OurPixels(reference);
        Assert.Equal(theirs.Length, ours.Length);
        var worst = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= tolerance, $"{relative}: largest difference from {decompressor} is {worst}");
        Assert.True(theirs.Distinct().Count() > 1, "a blank reference image proves nothing");
    }

    [Theory]
    [InlineData("secondary_capture_codecs/pydicom_GDCMJ2K_TextGBR.dcm")]
    [InlineData("secondary_capture_codecs/pydicom_SC_rgb_gdcm_KY.dcm")]
    public void JPEG_2000_is_refused_with_a_typed_error(string relative)
    {
        var file = DicomFile.Open(Path.Combine(RepositoryPaths.DicomSamples, relative));
        Assert.False(DicomCodecRegistry.CanDecode(file.TransferSyntax));
        var e = Assert.Throws<DicomPixelDataException>(() => DicomPixelData.GetFrameSamples(file.Dataset, file.TransferSyntax, 0));
        Assert.Contains("JPEG 2000", e.Message, StringComparison.Ordinal);
    }
}
