using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Imaging.Codecs.Jpeg;

/// <summary>
/// Streams with restart intervals (DRI/RSTn), written by make_restart_jpegs.py because DCMTK's compressors never emit
/// them, decode as dcmdjpeg decodes them: exactly, lossless and baseline (grey and 4:2:0 colour) alike.
/// </summary>
public sealed class RestartIntervalTests
{
    [Theory]
    [InlineData("lossless_sv1_rst")]
    [InlineData("lossless_sv4_rst")]
    [InlineData("lossless_sv7_rst")]
    [InlineData("baseline_rst")]
    [InlineData("baseline420_rst")]
    public void Decodes_as_dcmdjpeg_does(string name)
    {
        using var temp = new TempDirectory("cxr-restart");
        ExternalProcess.Python(RepositoryPaths.TestSource("Imaging/Codecs/Jpeg/make_restart_jpegs.py"), [temp.Path]);
        var stream = temp.File(name + ".dcm");
        var reference = temp.File(name + ".ref.dcm");
        PixelSamplesFixture.Run("dcmdjpeg", [stream, reference]);
        var ours = PixelSamplesFixture.OurPixels(stream);
        var theirs = PixelSamplesFixture.OurPixels(reference);
        Assert.True(theirs.Distinct().Count() > 10, "the reference image must not be flat");
        PixelSamplesFixture.AssertEqualSamples(theirs, ours, name + " against dcmdjpeg");
    }
}
