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
        // JPEG 2000 Part 1 is decoded now (OpenJPEG); Part 2 multi-component is not. The J2K sample relabelled as Part 2
        // (the two UIDs have the same length, so only the meta group's bytes change).
        var temp = Directory.CreateTempSubdirectory("cxr-convert-").FullName;
        try
        {
            var source = Path.Combine(CliRunner.SharedData, "dicom-samples", "secondary_capture_codecs", "pydicom_GDCMJ2K_TextGBR.dcm");
            var bytes = File.ReadAllBytes(source);
            var at = bytes.AsSpan().IndexOf("1.2.840.10008.1.2.4.90"u8);
            Assert.InRange(at, 132, 400);
            "1.2.840.10008.1.2.4.92"u8.CopyTo(bytes.AsSpan(at));
            var input = Path.Combine(temp, "part2.dcm");
            File.WriteAllBytes(input, bytes);
            var output = Path.Combine(temp, "out.dcm");
            var (code, _, stderr) = CliRunner.Run("convert", input, output, "--transfer-syntax", "1.2.840.10008.1.2.1");
            Assert.Equal(3, code);
            Assert.Contains("Multi-component", stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(output));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>pydicom (with numpy) is the judge: its pixel_array of our output equals dcmdjpeg's / dcmdrle's.</summary>
    [Theory]
    [InlineData("secondary_capture_codecs/fodicom_GH538-jpeg14sv1.dcm", "1.2.840.10008.1.2.1", "dcmdjpeg")]
    [InlineData("secondary_capture_codecs/dcmfx_TestPattern_Palette_16.jpeg_ls_lossless.dcm", "1.2.840.10008.1.2.1", "dcmdjpls")]
    [InlineData("secondary_capture_codecs/pydicom_SC_rgb_rle.dcm", "1.2.840.10008.1.2", "dcmdrle")]
    [InlineData("chest_radiographs/CR-MONO1-10-chest_fodicom-via-dcmfx.dcm", "1.2.840.10008.1.2.5", null)]
    public void Decompresses_and_RLE_encodes_with_the_same_pixels_as_DCMTK(string sample, string syntax, string? dcmtkDecoder)
    {
        var input = Path.Combine(CliRunner.SharedData, "dicom-samples", sample);
        var temp = Directory.CreateTempSubdirectory("cxr-convert-").FullName;
        try
        {
            var ours = Path.Combine(temp, "ours.dcm");
            var (code, _, stderr) = CliRunner.Run("convert", input, ours, "--transfer-syntax", syntax);
            Assert.True(code == 0, stderr);
            var reference = Path.Combine(temp, "reference.dcm");
            var (refCode, _, refErr) = dcmtkDecoder is null
                ? CliRunner.Start("dcmconv", "+te", input, reference)
                : CliRunner.Start(dcmtkDecoder, input, reference);
            Assert.True(refCode == 0, refErr);
            const string script = """
                import sys, pydicom, numpy
                a = pydicom.dcmread(sys.argv[1]); b = pydicom.dcmread(sys.argv[2])
                assert str(a.file_meta.TransferSyntaxUID) == sys.argv[3], a.file_meta.TransferSyntaxUID
                print('EQUAL' if numpy.array_equal(a.pixel_array, b.pixel_array) else 'DIFFERENT')
                """;
            var (pyCode, pyOut, pyErr) = CliRunner.Start("/usr/bin/python3", "-c", script, ours, reference, syntax);
            Assert.True(pyCode == 0, pyErr);
            Assert.Equal("EQUAL", pyOut.Trim());
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
