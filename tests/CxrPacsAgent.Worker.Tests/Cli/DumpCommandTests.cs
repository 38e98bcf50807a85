namespace CxrPacsAgent.Worker.Tests.Cli;

public sealed class DumpCommandTests
{
    private static readonly string Chest =
        Path.Combine(CliRunner.SharedData, "dicom-samples", "chest_radiographs", "CR-MONO1-10-chest_fodicom-via-dcmfx.dcm");

    [Fact]
    public void Lists_elements_of_a_file_without_meta_header()
    {
        var (code, stdout, stderr) = CliRunner.Run("dump", Chest);
        Assert.True(code == 0, stderr);
        Assert.Contains("(0018,5101) CS [PA]", stdout, StringComparison.Ordinal);
        Assert.Contains("(7FE0,0010) OW (387200 bytes)", stdout, StringComparison.Ordinal);
        Assert.Contains("Implicit VR Little Endian", stdout, StringComparison.Ordinal);
    }

    /// <summary>pydicom parses our JSON (Dataset.from_json) and must find the same values as in the file it reads itself.</summary>
    [Theory]
    [InlineData("structured_reports/highdicom_sr_document_TID1500.dcm")]
    [InlineData("chest_radiographs/dx_image_highdicom.dcm")]
    [InlineData("secondary_capture_codecs/pydicom_SC_rgb_rle.dcm")]
    public void Json_is_the_PS3_18_model_pydicom_reads_back(string sample)
    {
        var path = Path.Combine(CliRunner.SharedData, "dicom-samples", sample);
        var (code, json, stderr) = CliRunner.Run("dump", path, "--json");
        Assert.True(code == 0, stderr);
        var jsonFile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(jsonFile, json);
            const string script = """
                import sys, pydicom
                from pydicom.dataset import Dataset
                ours = Dataset.from_json(open(sys.argv[2]).read())
                theirs = pydicom.dcmread(sys.argv[1])
                def norm(ds):
                    out = {}
                    for e in ds:
                        if e.tag.element == 0: continue
                        if e.VR == 'SQ': out[e.tag] = [norm(i) for i in e.value]
                        elif e.VR in ('OB', 'OW', 'UN', 'OF', 'OD', 'OL', 'OV'): out[e.tag] = bytes(e.value or b'')
                        elif e.VR == 'PN': out[e.tag] = str(e.value)
                        else: out[e.tag] = e.value if e.VM != 0 else None
                    return out
                a, b = norm(ours), norm(theirs)
                bad = [str(t) for t in set(a) | set(b) if a.get(t) != b.get(t)]
                print('MISMATCH', bad) if bad else print('OK', len(a))
                """;
            var (pyCode, pyOut, pyErr) = CliRunner.Start("/usr/bin/python3", "-c", script, path, jsonFile);
            Assert.True(pyCode == 0, pyErr);
            Assert.StartsWith("OK", pyOut, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(jsonFile);
        }
    }

    [Fact]
    public void A_file_that_is_not_DICOM_gives_exit_code_2_and_names_the_offset()
    {
        var junk = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(junk, [0x08, 0x00, 0x10, 0x00, 0xFF, 0xFF, 0x00, 0x10, 0x41]);
            var (code, _, stderr) = CliRunner.Run("dump", junk);
            Assert.Equal(2, code);
            Assert.Contains("byte offset 0", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(junk);
        }
    }
}
