namespace CxrPacsAgent.Worker.Tests.Cli;

public sealed class ConvertCommandTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.2")]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("1.2.840.10008.1.2.1.99")]
    public void Converts_the_chest_CR_and_dcmdump_reads_it_without_warnings(string syntax)
    {
        var input = Path.Combine(CliRunner.SharedData, "dicom-samples", "chest_radiographs", "CR-MONO1-10-chest_fodicom-via-dcmfx.dcm");
        var output = Path.Combine(Path.GetTempPath(), $"cxr-convert-{Guid.NewGuid():N}.dcm");
        try
        {
            var (code, _, stderr) = CliRunner.Run("convert", input, output, "--transfer-syntax", syntax);
            Assert.True(code == 0, stderr);
            var (dumpCode, dump, dumpErr) = CliRunner.Start("dcmdump", "-M", "-Un", output);
            Assert.True(dumpCode == 0, dumpErr);
            Assert.DoesNotContain("W:", dumpErr, StringComparison.Ordinal);
            Assert.DoesNotContain("E:", dumpErr, StringComparison.Ordinal);
            Assert.Contains($"(0002,0010) UI [{syntax}]", dump, StringComparison.Ordinal);
            Assert.Contains("(0018,5101) CS [PA]", dump, StringComparison.Ordinal);
            Assert.Contains("(7fe0,0010) OW", dump, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void Refuses_to_unwrap_compressed_pixel_data_it_cannot_decode()
    {
        var input = Path.Combine(CliRunner.SharedData, "dicom-samples", "secondary_capture_codecs", "pydicom_GDCMJ2K_TextGBR.dcm");
        var output = Path.Combine(Path.GetTempPath(), $"cxr-convert-{Guid.NewGuid():N}.dcm");
        var (code, _, stderr) = CliRunner.Run("convert", input, output, "--transfer-syntax", "1.2.840.10008.1.2.1");
        Assert.Equal(3, code);
        Assert.Contains("JPEG 2000", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }
}
