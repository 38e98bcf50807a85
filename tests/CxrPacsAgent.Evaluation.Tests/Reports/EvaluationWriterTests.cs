using System.Text.Json;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Evaluation.Metrics;
using CxrPacsAgent.Evaluation.Reports;
using CxrPacsAgent.Inference.Tests.TestSupport;

namespace CxrPacsAgent.Evaluation.Tests.Reports;

/// <summary>An evaluation folder: metrics.json with the required fields, scores.csv and skipped.csv, the figures and the report.</summary>
public sealed class EvaluationWriterTests
{
    [Fact]
    public void Writes_metrics_tables_figures_and_report()
    {
        var r = new Random(2);
        var images = Enumerable.Range(0, 40).Select(i =>
        {
            var truth = i % 2 == 0;
            var score = Math.Clamp((truth ? 0.7 : 0.3) + ((r.NextDouble() - 0.5) * 0.6), 0, 1);
            return new ScoredImage($"{i}, odd name.png", truth, score, [(float)score, (float)r.NextDouble()])
            {
                RawScore = score * 0.9,
                PatientId = $"p{i / 2}",
                Columns = new Dictionary<string, string> { ["view"] = i % 4 < 2 ? "PA" : "AP" },
                OodDistance = i,
                OutOfDistribution = i >= 38,
            };
        }).ToArray();
        var skipped = new[] { new SkippedImage("lateral.dcm", "NORMAL", "NotFrontal", "View Position is LL", new Dictionary<string, string> { ["view"] = "LL" }) };
        var summary = EvaluationSummary.Compute(images, 0.5, resamples: 100, seed: 1);
        var run = new EvaluationRun("synthetic", images, skipped, summary, summary, Subgroups.Table(images, [skipped[0].Columns], 0.5));
        var folder = Repository.TempFolder("eval");
        EvaluationWriter.Write(folder, TestPackages.Manifest("model.onnx"), run);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        var m = json.RootElement;
        foreach (var name in new[] { "accuracy", "sensitivity", "specificity", "roc_auc", "pr_auc", "n", "calibration", "ood", "subgroups" })
        {
            Assert.True(m.TryGetProperty(name, out _), name);
        }
        Assert.Equal(40, m.GetProperty("n").GetInt32());
        Assert.Equal("patient", m.GetProperty("bootstrap").GetProperty("unit").GetString());
        Assert.Equal(1, m.GetProperty("skipped_by_class").GetProperty("NORMAL").GetProperty("skipped").GetInt32());
        Assert.Equal(21, m.GetProperty("skipped_by_class").GetProperty("NORMAL").GetProperty("of").GetInt32());
        Assert.Equal(2, m.GetProperty("ood").GetProperty("flagged").GetInt32());
        Assert.InRange(m.GetProperty("calibration").GetProperty("ece").GetDouble(), 0, 1);
        Assert.Equal(3, m.GetProperty("subgroups").GetArrayLength()); // view: AP, LL (skipped only), PA
        Assert.True(m.TryGetProperty("shortcut_audit_lungs_masked", out _));

        var scores = File.ReadAllLines(Path.Combine(folder, "scores.csv"));
        Assert.Equal(string.Join(',', ResultTables.ScoreColumns), scores[0]);
        Assert.Equal(41, scores.Length);
        var first = CsvLine.Split(scores[1]);
        Assert.Equal("0, odd name.png", first[0]);                 // quoted, and read back whole
        Assert.Equal("PNEUMONIA", first[1]);
        Assert.Equal("p0", first[2]);
        Assert.Equal(images[0].RawScore, double.Parse(first[3], System.Globalization.CultureInfo.InvariantCulture), 5);
        Assert.Equal(images[0].Score, double.Parse(first[4], System.Globalization.CultureInfo.InvariantCulture), 5);
        Assert.Equal("", CsvLine.Split(scores[^1])[5]);              // out of distribution: no call
        Assert.Equal("true", CsvLine.Split(scores[^1])[7]);
        Assert.Equal(["path,label,reason,message", "lateral.dcm,NORMAL,NotFrontal,View Position is LL"], File.ReadAllLines(Path.Combine(folder, "skipped.csv")));

        foreach (var png in EvaluationWriter.Figures)
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder, png));
            Assert.True(bytes.Length > 2000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png);
        }
        var report = File.ReadAllText(Path.Combine(folder, "report.md"));
        Assert.Contains("roc_auc", report, StringComparison.Ordinal);
        Assert.Contains("| view | LL |", report, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }
}
