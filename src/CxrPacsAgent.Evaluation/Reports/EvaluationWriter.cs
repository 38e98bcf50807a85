using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CxrPacsAgent.Evaluation.Figures;
using CxrPacsAgent.Evaluation.Metrics;
using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Evaluation.Reports;

/// <summary>Writes an evaluation folder: metrics.json, the PNG figures and report.md.</summary>
public static class EvaluationWriter
{
    public static void Write(string folder, ModelManifest manifest, string dataDescription, IReadOnlyList<ScoredImage> images,
        EvaluationSummary summary, EvaluationSummary? lungsMasked, IReadOnlyList<string> skipped)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(skipped);
        Directory.CreateDirectory(folder);
        var json = new JsonObject
        {
            ["model"] = $"{manifest.Name} {manifest.Version}",
            ["task"] = manifest.Task,
            ["data"] = dataDescription,
            ["positive_label"] = manifest.PositiveLabel,
            ["skipped"] = skipped.Count,
        };
        // The headline metrics sit at the top level (metrics.json's documented keys); the audit is a nested object.
        foreach (var (name, value) in ToJson(summary).ToList())
        {
            json[name] = value?.DeepClone();
        }
        if (lungsMasked is not null)
        {
            json["shortcut_audit_lungs_masked"] = ToJson(lungsMasked);
        }
        File.WriteAllText(Path.Combine(folder, "metrics.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var scores = images.Select(i => i.Score).ToArray();
        var truth = images.Select(i => i.Truth).ToArray();
        // The data set rides in every title: a figure copied out of its report still says what it measured.
        var title = $"{manifest.Name}, {dataDescription}";
        EvaluationPlots.Roc(RocCurve.Points(scores, truth), summary.Metrics.RocAuc, title, Path.Combine(folder, "roc.png"));
        EvaluationPlots.PrecisionRecall(PrecisionRecallCurve.Points(scores, truth), summary.Metrics.PrAuc,
            (double)summary.Metrics.Positives / summary.Metrics.N, title, Path.Combine(folder, "pr.png"));
        EvaluationPlots.ScoreHistogram(scores, truth, manifest.PositiveLabel, manifest.NegativeLabel, summary.Threshold, title,
            Path.Combine(folder, "score-histogram.png"));
        EvaluationPlots.ConfusionMatrix(summary.Confusion, manifest.PositiveLabel, manifest.NegativeLabel, title,
            Path.Combine(folder, "confusion-matrix.png"));
        EvaluationPlots.Tsne(Tsne.Embed([.. images.Select(i => i.Embedding)]), truth, manifest.PositiveLabel, manifest.NegativeLabel,
            title, Path.Combine(folder, "tsne.png"));
        File.WriteAllText(Path.Combine(folder, "report.md"), Report(manifest, dataDescription, summary, lungsMasked, skipped.Count));
    }

    private static JsonObject ToJson(EvaluationSummary s)
    {
        var m = s.Metrics;
        var ci = new JsonObject();
        foreach (var (name, interval) in s.Ci95)
        {
            ci[name] = new JsonArray(Num(interval.Lower), Num(interval.Upper));
        }
        return new JsonObject
        {
            ["n"] = m.N,
            ["positives"] = m.Positives,
            ["threshold"] = s.Threshold,
            ["accuracy"] = Num(m.Accuracy),
            ["sensitivity"] = Num(m.Sensitivity),
            ["specificity"] = Num(m.Specificity),
            ["roc_auc"] = Num(m.RocAuc),
            ["pr_auc"] = Num(m.PrAuc),
            ["pr_auc_method"] = "average precision (step-wise)",
            ["ci95"] = ci,
            ["bootstrap"] = new JsonObject { ["resamples"] = s.BootstrapResamples, ["seed"] = s.BootstrapSeed, ["method"] = "percentile" },
            ["confusion_matrix"] = new JsonObject
            {
                ["tp"] = s.Confusion.TruePositive, ["fp"] = s.Confusion.FalsePositive,
                ["tn"] = s.Confusion.TrueNegative, ["fn"] = s.Confusion.FalseNegative,
            },
            [$"knn{EvaluationSummary.KnnK}_vote_accuracy"] = Num(s.KnnVoteAccuracy),
        };
    }

    // JSON has no NaN: an undefined metric is null.
    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 6)) : null;

    private static string Report(ModelManifest manifest, string data, EvaluationSummary s, EvaluationSummary? masked, int skipped)
    {
        var b = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        b.AppendLine(inv, $"# Evaluation: {manifest.Name} {manifest.Version}");
        b.AppendLine();
        b.AppendLine(inv, $"Task: {manifest.Task}. Data: {data}. Images scored: {s.Metrics.N} ({s.Metrics.Positives} {manifest.PositiveLabel}); skipped: {skipped}.");
        b.AppendLine();
        b.AppendLine("| metric | value | 95 % CI (bootstrap) |");
        b.AppendLine("|---|---|---|");
        foreach (var (name, value) in BinaryMetrics.Names.Zip(s.Metrics.Values()))
        {
            var ci = s.Ci95[name];
            b.AppendLine(inv, $"| {name} | {value:F4} | {ci.Lower:F4} – {ci.Upper:F4} |");
        }
        b.AppendLine(inv, $"| k-NN (k={EvaluationSummary.KnnK}) vote accuracy | {s.KnnVoteAccuracy:F4} | |");
        b.AppendLine();
        b.AppendLine(inv, $"Threshold {s.Threshold:F3}: TP {s.Confusion.TruePositive}, FP {s.Confusion.FalsePositive}, TN {s.Confusion.TrueNegative}, FN {s.Confusion.FalseNegative}.");
        if (masked is not null)
        {
            b.AppendLine();
            b.AppendLine("## Shortcut audit (lungs masked out of the input)");
            b.AppendLine();
            b.AppendLine(inv, $"ROC AUC {masked.Metrics.RocAuc:F4} (CI {masked.Ci95["roc_auc"].Lower:F4} – {masked.Ci95["roc_auc"].Upper:F4}), accuracy {masked.Metrics.Accuracy:F4}.");
            b.AppendLine("A score that stays far above 0.5 without the lungs means the model also reads cues outside them (markers, devices, body size, hospital).");
        }
        b.AppendLine();
        b.AppendLine("Figures: roc.png, pr.png, score-histogram.png, confusion-matrix.png, tsne.png.");
        return b.ToString();
    }
}
