using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Imaging.Codecs;

/// <summary>
/// Compressed files written by other toolkits (dicom-samples, and pydicom's DCT test files from DCMTK, GDCM and
/// others: 8-bit YCbCr 4:4:4 / 4:2:2 / 4:1:1, RGB with and without an Adobe marker, 12-bit extended) decode to exactly
/// the samples DCMTK's decompressor writes.
/// </summary>
public sealed class SampleFileCodecTests
{
    public static TheoryData<string, string> Files() => new()
    {
        { "secondary_capture_codecs/dcmfx_TestPattern_Palette_16.jpeg_ls_lossless.dcm", "dcmdjpls" },
        { "secondary_capture_codecs/fodicom_GH538-jpeg14sv1.dcm", "dcmdjpeg" },
        { "secondary_capture_codecs/pydicom_SC_rgb_jpeg_gdcm.dcm", "dcmdjpeg" },
        { "secondary_capture_codecs/pydicom_SC_rgb_rle.dcm", "dcmdrle" },
        { "secondary_capture_codecs/pydicom_SC_rgb_dcmtk_+eb+cr.dcm", "dcmdjpeg" },
        { "other_cr/fodicom_CR-ModalitySequenceLUT_dental_JPEGLossless.dcm", "dcmdjpeg" },
    };

    public static TheoryData<string> PydicomDctFiles() =>
    [
        "SC_rgb_jpeg_dcmtk.dcm", "SC_rgb_jpeg_app14_dcmd.dcm", "SC_rgb_small_odd_jpeg.dcm",
        "SC_rgb_dcmtk_+eb+cr.dcm", "SC_rgb_dcmtk_+eb+cy+n1.dcm", "SC_rgb_dcmtk_+eb+cy+n2.dcm", "SC_rgb_dcmtk_+eb+cy+np.dcm",
        "SC_rgb_dcmtk_+eb+cy+s2.dcm", "SC_rgb_dcmtk_+eb+cy+s4.dcm", "SC_jpeg_no_color_transform.dcm",
        "SC_jpeg_no_color_transform_2.dcm", "SC_rgb_jpeg_lossy_gdcm.dcm", "JPEG-lossy.dcm", "JPGExtended.dcm",
    ];

    [Theory]
    [MemberData(nameof(Files))]
    public void Decodes_as_DCMTK_does(string relative, string decompressor) =>
        AssertDecodesAsDcmtk(Path.Combine(RepositoryPaths.DicomSamples, relative), decompressor);

    [Theory]
    [MemberData(nameof(PydicomDctFiles))]
    public void DCT_files_of_other_toolkits_decode_exactly_as_dcmdjpeg_does(string name) =>
        AssertDecodesAsDcmtk(Path.Combine(RepositoryPaths.PydicomTestFiles, name), "dcmdjpeg");

    private static void AssertDecodesAsDcmtk(string source, string decompressor)
    {
        using var temp = new TempDirectory("cxr-samples");
        var reference = temp.File("reference.dcm");
        PixelSamplesFixture.Run(decompressor, [source, reference]);
        var ours = PixelSamplesFixture.OurPixels(source);
        var theirs = PixelSamplesFixture.OurPixels(reference);
        Assert.True(theirs.Distinct().Count() > 1, "a blank reference image proves nothing");
        PixelSamplesFixture.AssertEqualSamples(theirs, ours, $"{Path.GetFileName(source)} against {decompressor}");
    }
}
