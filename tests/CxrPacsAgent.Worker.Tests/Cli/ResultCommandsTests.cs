using System.Text.Json;
using CxrPacsAgent.Worker.Tests.Results;

namespace CxrPacsAgent.Worker.Tests.Cli;

/// <summary><c>classify --out</c> and <c>report</c>, run as the built cxr-agent, as a user runs them.</summary>
[Collection(SourceCollection.Name)]
public sealed class ResultCommandsTests(SourceFixture sources) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cxr-result-cli-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Classify_out_writes_valid_sr_cad_and_picture_and_report_prints_the_tree()
    {
        var source = sources.File("mono1");
        var (code, stdout, stderr) = CliRunner.Run("classify", source, "--json", "--out", folder, "--chest-cad", "--heatmap-grid", "4");
        Assert.True(code == 0, stderr);
        using var record = JsonDocument.Parse(stdout.Trim());
        var outputs = record.RootElement.GetProperty("outputs").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(["mono1.sr.dcm", "mono1.cad.dcm", "mono1.sc.dcm"], outputs.Select(Path.GetFileName));
        Judges.AssertSrValid(outputs[0]);
        Judges.AssertSrValid(outputs[1]);
        Judges.AssertValid(outputs[2]);

        var (reportCode, tree, reportErr) = CliRunner.Run("report", outputs[0]);
        Assert.True(reportCode == 0, reportErr);
        var score = record.RootElement.GetProperty("score").GetDouble();
        Assert.Contains("Comprehensive 3D SR Storage", tree, StringComparison.Ordinal);
        Assert.Contains("CONTAINER Imaging Measurement Report (TID 1500)", tree, StringComparison.Ordinal);
        Assert.Contains($"    contains NUM Certainty of Finding: {Math.Round(score, 4).ToString(System.Globalization.CultureInfo.InvariantCulture)} no units [1, UCUM]", tree, StringComparison.Ordinal);
        Assert.Contains("contains CODE Finding: Pneumonia [233604007, SCT]", tree, StringComparison.Ordinal);
        Assert.Contains($"has concept mod TEXT Algorithm Name: {Inference.Packages.DefaultModel.Name}", tree, StringComparison.Ordinal);
        Assert.Contains("not for diagnostic use", tree, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_out_says_why_a_picture_file_gets_no_sr_and_refuses_a_bad_grid()
    {
        var png = Path.Combine(CliRunner.SharedData, "adult-cxr-samples", "adult-cxr-01.png");
        var (code, stdout, stderr) = CliRunner.Run("classify", png, "--json", "--out", folder, "--no-heatmap");
        Assert.True(code == 0, stderr);
        using (var record = JsonDocument.Parse(stdout.Trim()))
        {
            Assert.StartsWith("no DICOM header", record.RootElement.GetProperty("outputs_skipped").GetString(), StringComparison.Ordinal);
        }
        Assert.Empty(Directory.GetFiles(folder));

        var (badCode, _, badErr) = CliRunner.Run("classify", png, "--out", folder, "--heatmap-grid", "99");
        Assert.Equal(2, badCode);
        Assert.Contains("heatmap grid 99", badErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_out_scores_a_source_without_study_uid_and_says_why_it_has_no_sr()
    {
        var file = Dicom.IO.DicomFile.Open(sources.File("plain"));
        file.Dataset.Remove(Dicom.Data.DicomTags.StudyInstanceUID);
        var broken = Path.Combine(folder, "no-study-uid.dcm");
        Dicom.IO.DicomFile.Create(file.Dataset, Dicom.IO.DicomTransferSyntax.ExplicitVRLittleEndian).Save(broken);
        var output = Path.Combine(folder, "out");
        var (code, stdout, stderr) = CliRunner.Run("classify", broken, "--json", "--out", output, "--no-heatmap");
        Assert.True(code == 0, stderr);
        using var record = JsonDocument.Parse(stdout.Trim());
        Assert.InRange(record.RootElement.GetProperty("score").GetDouble(), 0, 1);
        Assert.Contains("Study Instance UID", record.RootElement.GetProperty("outputs_skipped").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFiles(output).Any());
    }

    [Fact]
    public void Report_refuses_an_image_and_a_missing_file_with_a_clear_message()
    {
        var (code, _, stderr) = CliRunner.Run("report", sources.File("plain"));
        Assert.Equal(2, code);
        Assert.Contains("not a readable SR (RootNotContainer)", stderr, StringComparison.Ordinal);
        var (missing, _, missingErr) = CliRunner.Run("report", Path.Combine(folder, "nothing.dcm"));
        Assert.NotEqual(0, missing);
        Assert.Contains("nothing.dcm", missingErr, StringComparison.Ordinal);
    }
}
