using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Worker.Results;
using CxrPacsAgent.Worker.Tests.Cli;

namespace CxrPacsAgent.Worker.Tests.Results;

/// <summary>
/// Sources with odd headers and encodings still give valid results: names copied byte for byte in the source's
/// character set, missing Type 2 attributes written empty, lossy history kept, and pydicom reads everything.
/// </summary>
[Collection(SourceCollection.Name)]
public sealed class OddSourceTests(SourceFixture sources) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cxr-odd-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static TheoryData<string> Names => [.. SourceFixture.All];

    [Theory]
    [MemberData(nameof(Names))]
    public void Result_of_an_odd_source_is_valid_and_keeps_its_patient_and_study(string name)
    {
        var plain = sources.Result(name);
        var result = Results.Full(plain) with { Call = true, OutOfDistribution = null, QualityFlags = plain.QualityFlags };
        var objects = ResultDocuments.Build(result, new ResultOptions { ChestCadReport = true, Heatmap = new HeatmapOptions { Enabled = true } });
        var paths = objects.Save(folder, name);
        Judges.AssertSrValid(paths[0]);
        Judges.AssertSrValid(paths[1]);
        Judges.AssertValid(paths[2]);

        var source = result.Source;
        foreach (var written in paths.Select(p => DicomFile.Open(p).Dataset))
        {
            foreach (var tag in new[] { DicomTags.SpecificCharacterSet, DicomTags.PatientName, DicomTags.PatientID, DicomTags.StudyInstanceUID,
                         DicomTags.AccessionNumber, DicomTags.StudyDate, DicomTags.StudyTime })
            {
                // Copied byte for byte; a Type 2 attribute the source lacks is present and empty.
                Assert.Equal(Bytes(source, tag) ?? (tag == DicomTags.SpecificCharacterSet ? null : []), Bytes(written, tag));
            }
            Assert.Equal(source.GetString(DicomTags.PatientName), written.GetString(DicomTags.PatientName));
        }
        var lossy = source.GetString(DicomTags.LossyImageCompression) == "01";
        Assert.Equal(lossy ? "01" : "00", objects.Picture!.GetString(DicomTags.LossyImageCompression));
        Assert.Equal(lossy, ContentTreeText(objects).Contains(QualityFlag.LossySource.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void Pydicom_reads_every_result_and_decodes_the_names()
    {
        var written = new List<string>();
        foreach (var name in SourceFixture.All)
        {
            written.AddRange(ResultDocuments.Build(Results.Full(sources.Result(name)), new ResultOptions { ChestCadReport = true })
                .Save(folder, "py-" + name));
        }
        const string Script = """
            import sys, pydicom
            for path in sys.argv[1:]:
                ds = pydicom.dcmread(path)
                ds.decode()
                pixels = ds.pixel_array.shape if "PixelData" in ds else ""
                print(ds.SOPClassUID.name, str(ds.PatientName), pixels, sep="|")
            """;
        var (code, stdout, stderr) = CliRunner.Start("/usr/bin/python3", ["-c", Script, .. written]);
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(written.Count, lines.Length);
        Assert.Contains(lines, l => l.Contains("Yamada^Tarou=山田^太郎=やまだ^たろう", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Müller^Jürgen", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Θεοδωράκης^Γιάννης=王^小东", StringComparison.Ordinal));
        Assert.All(lines.Where(l => l.StartsWith("Secondary Capture", StringComparison.Ordinal)), l => Assert.Matches(@"\|\(1080, \d+, 3\)$", l));
        Assert.Equal(SourceFixture.All.Count(), lines.Count(l => l.StartsWith("Comprehensive 3D SR", StringComparison.Ordinal)));
    }

    [Fact]
    public void Text_the_source_character_set_cannot_hold_becomes_question_marks()
    {
        var result = sources.Result("latin1") with { Model = SourceFixture.Model with { Name = "modèle→x" } };
        var objects = ResultDocuments.Build(result, new ResultOptions { SecondaryCapture = false });
        Assert.Contains("Algorithm Name: modèle?x", ContentTreeText(objects), StringComparison.Ordinal);
        Assert.Equal("Müller^Jürgen", objects.Report.GetString(DicomTags.PatientName));
    }

    private static string ContentTreeText(ResultObjects objects) =>
        Dicom.Reports.ContentTreeText.Format(Dicom.Reports.ContentTreeReader.Read(objects.Report));

    private static byte[]? Bytes(DicomDataset ds, DicomTag tag) =>
        ds.TryGetElement(tag, out var element) ? element.Buffer.Memory.ToArray() : null;
}
