using System.Text.Json;
using CxrPacsAgent.Evaluation.Metrics;
using CxrPacsAgent.Evaluation.Reports;
using CxrPacsAgent.Inference.Tests.TestSupport;

namespace CxrPacsAgent.Evaluation.Tests.Reports;

/// <summary>An evaluation folder has metrics.json with the required fields, the five figures and the report.</summary>
public sealed class EvaluationWriterTests
{
    [Fact]
    public void Writes_metrics_figures_and_report()
    {
        var r = new Random(2);
        var images = Enumerable.Range(0, 40).Select(i =>
        {
            var truth = i % 2 == 0;
            var score = Math.Clamp((truth ? 0.7 : 0.3) + ((r.NextDouble() - 0.5) * 0.6), 0, 1);
            return new ScoredImage($"{i}.png", truth, score, [(float)score, (float)r.NextDouble()]);
        }).ToArray();
        var summary = EvaluationSummary.Compute(images, 0.5, resamples: 100, seed: 1);
        var folder = Repository.TempFolder("eval");
        EvaluationWriter.Write(folder, TestPackages.Manifest("model.onnx"), "synthetic", images, summary, summary, []);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        var m = json.RootElement;
        foreach (var name in new[] { "accuracy", "sensitivity", "specificity", "roc_auc", "pr_auc", "n" })
        {
            Assert.True(m.TryGetProperty(name, out _), name);
        }
        Assert.Equal(40, m.GetProperty("n").GetInt32());
        Assert.Equal(2, m.GetProperty("ci95").GetProperty("roc_auc").GetArrayLength());
        Assert.True(m.TryGetProperty("knn4_vote_accuracy", out _));
        Assert.True(json.RootElement.TryGetProperty("shortcut_audit_lungs_masked", out _));
        foreach (var png in new[] { "roc.png", "pr.png", "score-histogram.png", "confusion-matrix.png", "tsne.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder, png));
            Assert.True(bytes.Length > 2000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png);
        }
        Assert.Contains("roc_auc", File.ReadAllText(Path.Combine(folder, "report.md")), StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }
}
