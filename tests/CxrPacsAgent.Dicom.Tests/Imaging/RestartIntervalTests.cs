using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Imaging;

/// <summary>
/// Streams with restart intervals (DRI/RSTn), written by make_restart_jpegs.py because DCMTK's compressors never emit
/// them, decode as dcmdjpeg decodes them: lossless exactly, baseline within IDCT rounding.
/// </summary>
public sealed class RestartIntervalTests
{
    [Theory]
    [InlineData("lossless_sv1_rst", 0)]
    [InlineData("lossless_sv4_rst", 0)]
    [InlineData("lossless_sv7_rst", 0)]
    [InlineData("baseline_rst", 1)]
    [InlineData("baseline420_rst", 3)]
    public void Decodes_as_dcmdjpeg_does(string name, int tolerance)
    {
        using var temp = new TempDirectory("cxr-restart");
        ExternalProcess.Python(RepositoryPaths.TestSource("Imaging/make_restart_jpegs.py"), [temp.Path]);
        var stream = temp.File(name + ".dcm");
        var reference = temp.File(name + ".ref.dcm");
        PixelSamplesFixture.Run("dcmdjpeg", [stream, reference]);
        var ours = PixelSamplesFixture.OurPixels(stream);
        var theirs = PixelSamplesFixture.OurPixels(reference);
        Assert.Equal(theirs.Length, ours.Length);
        var worst = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= tolerance, $"{name}: largest difference from dcmdjpeg is {worst}");
        Assert.True(theirs.Distinct().Count() > 10, "the reference image must not be flat");
    }
}
