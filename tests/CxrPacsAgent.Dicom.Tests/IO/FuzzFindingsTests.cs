using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.IO;

/// <summary>Inputs that fuzz/reader found to escape as another exception, kept as regressions (IO/FuzzFindings).</summary>
public class FuzzFindingsTests
{
    public static TheoryData<string> Findings =>
        new(Directory.GetFiles(RepositoryPaths.TestSource("IO/FuzzFindings")).Order(StringComparer.Ordinal).Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Findings))]
    public void A_finding_reads_or_fails_typed(string name)
    {
        var bytes = File.ReadAllBytes(RepositoryPaths.TestSource(Path.Combine("IO/FuzzFindings", name)));
        var e = Record.Exception(() => DicomFile.Read(bytes).Dataset.Select(i => i.VR).ToList());
        // Malformed input may be refused, but only as a format error that points inside the input.
        if (e is not null)
        {
            var format = Assert.IsType<DicomFormatException>(e);
            Assert.InRange(format.Offset, -1, bytes.Length);
        }
    }

    [Theory]
    [InlineData("US", 2)]
    [InlineData("OB", 4)]
    [InlineData("SQ", 0)]
    public void A_transfer_syntax_UID_that_is_not_text_is_a_format_error(string vr, int length)
    {
        var meta = new ByteBuilder().Raw(new byte[128]).Raw("DICM"u8.ToArray())
            .Explicit(DicomTags.TransferSyntaxUID, vr, (uint)length).Raw(new byte[length])
            .Explicit(DicomTags.PatientID, "LO", "ID01");
        var e = Assert.Throws<DicomFormatException>(() => DicomFile.Read(meta.ToArray()));
        Assert.Equal(DicomTags.TransferSyntaxUID, e.Tag);
        Assert.Equal($"Transfer Syntax UID has VR {vr}, not UI", e.Problem);
    }
}
