using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CxrPacsAgent.Evaluation.Figures;
using CxrPacsAgent.Evaluation.Metrics;
using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Evaluation.Reports;

/// <summary>Writes an evaluation folder: metrics.json, scores.csv, skipped.csv, the PNG figures and report.md.</summary>
public static class EvaluationWriter
{
    public static readonly string[] Figures = ["roc.png", "pr.png", "score-histogram.png", "confusion-matrix.png", "reliability.png", "tsne.png"];

    public static void Write(string folder, ModelManifest manifest, EvaluationRun run)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(run);
        Directory.CreateDirectory(folder);
        var summary = run.Summary;
        var json = new JsonObject
        {
            ["model"] = $"{manifest.Name} {manifest.Version}",
            ["task"] = manifest.Task,
            ["data"] = run.DataDescription,
            ["positive_label"] = manifest.PositiveLabel,
            ["score"] = manifest.Calibration is null ? "raw graph output (the package has no calibration)" : "calibrated probability (Platt scaling)",
            ["skipped"] = run.Skipped.Count,
            ["skipped_by_class"] = SkippedByClass(run, manifest),
        };
        // The headline metrics sit at the top level (metrics.json's documented keys); the audit is a nested object.
        foreach (var (name, value) in ToJson(summary).ToList())
        {
            json[name] = value?.DeepClone();
        }
        json["calibration"] = Calibration(summary.Calibration);
        json["ood"] = new JsonObject
        {
            ["flagged"] = summary.OodFlagged,
            ["rate"] = Num(summary.Metrics.N == 0 ? double.NaN : (double)summary.OodFlagged / summary.Metrics.N),
            ["package_has_statistics"] = manifest.Ood is not null,
        };
        json["subgroups"] = new JsonArray([.. run.Subgroups.Select(Subgroup)]);
        if (run.LungsMasked is not null)
        {
            json["shortcut_audit_lungs_masked"] = ToJson(run.LungsMasked);
        }
        File.WriteAllText(Path.Combine(folder, "metrics.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        ResultTables.WriteScores(Path.Combine(folder, "scores.csv"), run.Images, manifest);
        ResultTables.WriteSkipped(Path.Combine(folder, "skipped.csv"), run.Skipped);

        var images = run.Images;
        var scores = images.Select(i => i.Score).ToArray();
        var truth = images.Select(i => i.Truth).ToArray();
        // The data set rides in every title: a figure copied out of its report still says what it measured.
        var title = $"{manifest.Name}, {run.DataDescription}";
        EvaluationPlots.Roc(RocCurve.Points(scores, truth), summary.Metrics.RocAuc, title, Path.Combine(folder, "roc.png"));
        EvaluationPlots.PrecisionRecall(PrecisionRecallCurve.Points(scores, truth), summary.Metrics.PrAuc,
            (double)summary.Metrics.Positives / summary.Metrics.N, title, Path.Combine(folder, "pr.png"));
        EvaluationPlots.ScoreHistogram(scores, truth, manifest.PositiveLabel, manifest.NegativeLabel, summary.Threshold, title,
            Path.Combine(folder, "score-histogram.png"));
        EvaluationPlots.ConfusionMatrix(summary.Confusion, manifest.PositiveLabel, manifest.NegativeLabel, title,
            Path.Combine(folder, "confusion-matrix.png"));
        EvaluationPlots.Reliability(summary.Calibration, title, Path.Combine(folder, "reliability.png"));
        EvaluationPlots.Tsne(Tsne.Embed([.. images.Select(i => i.Embedding)]), truth, manifest.PositiveLabel, manifest.NegativeLabel,
            title, Path.Combine(folder, "tsne.png"));
        File.WriteAllText(Path.Combine(folder, "report.md"), Report(manifest, run));
    }

    private static JsonObject SkippedByClass(EvaluationRun run, ModelManifest manifest)
    {
        var result = new JsonObject();
        foreach (var label in new[] { manifest.NegativeLabel, manifest.PositiveLabel })
        {
            var skipped = run.Skipped.Count(s => s.Label == label);
            var total = skipped + run.Images.Count(i => i.Truth == (label == manifest.PositiveLabel));
            result[label] = new JsonObject { ["skipped"] = skipped, ["of"] = total, ["rate"] = Num(total == 0 ? double.NaN : (double)skipped / total) };
        }
        return result;
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
            ["bootstrap"] = new JsonObject
            {
                ["resamples"] = s.BootstrapResamples, ["seed"] = s.BootstrapSeed, ["method"] = "percentile",
                ["unit"] = s.BootstrapByPatient ? "patient" : "image",
            },
            ["confusion_matrix"] = new JsonObject
            {
                ["tp"] = s.Confusion.TruePositive, ["fp"] = s.Confusion.FalsePositive,
                ["tn"] = s.Confusion.TrueNegative, ["fn"] = s.Confusion.FalseNegative,
            },
            [$"knn{EvaluationSummary.KnnK}_vote_accuracy"] = Num(s.KnnVoteAccuracy),
        };
    }

    private static JsonObject Calibration(CalibrationMetrics c) => new()
    {
        ["ece"] = Num(c.Ece),
        ["brier"] = Num(c.Brier),
        ["bins"] = new JsonArray([.. c.Bins.Select(b => new JsonObject
        {
            ["lower"] = Num(b.Lower), ["upper"] = Num(b.Upper), ["n"] = b.Count,
            ["mean_probability"] = Num(b.MeanProbability), ["positive_fraction"] = Num(b.PositiveFraction),
        })]),
    };

    private static JsonObject Subgroup(SubgroupRow r) => new()
    {
        ["column"] = r.Column,
        ["value"] = r.Value,
        ["n"] = r.Metrics.N,
        ["positives"] = r.Metrics.Positives,
        ["skipped"] = r.Skipped,
        ["ood_flagged"] = r.OodFlagged,
        ["accuracy"] = Num(r.Metrics.Accuracy),
        ["sensitivity"] = Num(r.Metrics.Sensitivity),
        ["specificity"] = Num(r.Metrics.Specificity),
        ["roc_auc"] = Num(r.Metrics.RocAuc),
    };

    // JSON has no NaN: an undefined metric is null.
    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 6)) : null;

    private static string Report(ModelManifest manifest, EvaluationRun run)
    {
        var s = run.Summary;
        var b = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        b.AppendLine(inv, $"# Evaluation: {manifest.Name} {manifest.Version}");
        b.AppendLine();
        b.AppendLine(inv, $"Task: {manifest.Task}. Data: {run.DataDescription}. Images scored: {s.Metrics.N} ({s.Metrics.Positives} {manifest.PositiveLabel}); skipped: {run.Skipped.Count} (skipped.csv).");
        b.AppendLine();
        b.AppendLine(inv, $"| metric | value | 95 % CI (bootstrap by {(s.BootstrapByPatient ? "patient" : "image")}) |");
        b.AppendLine("|---|---|---|");
        foreach (var (name, value) in BinaryMetrics.Names.Zip(s.Metrics.Values()))
        {
            var ci = s.Ci95[name];
            b.AppendLine(inv, $"| {name} | {value:F4} | {ci.Lower:F4} – {ci.Upper:F4} |");
        }
        b.AppendLine(inv, $"| k-NN (k={EvaluationSummary.KnnK}) vote accuracy | {s.KnnVoteAccuracy:F4} | |");
        b.AppendLine();
        b.AppendLine(inv, $"Threshold {s.Threshold:F3}: TP {s.Confusion.TruePositive}, FP {s.Confusion.FalsePositive}, TN {s.Confusion.TrueNegative}, FN {s.Confusion.FalseNegative}.");
        b.AppendLine();
        b.AppendLine(inv, $"Calibration ({(manifest.Calibration is null ? "raw scores" : "calibrated probabilities")}): ECE {s.Calibration.Ece:F4}, Brier {s.Calibration.Brier:F4} (reliability.png).");
        b.AppendLine(manifest.Ood is null
            ? "Out of distribution: the package carries no statistics."
            : string.Create(inv, $"Out of distribution: {s.OodFlagged} of {s.Metrics.N} flagged ({(s.Metrics.N == 0 ? 0 : 100.0 * s.OodFlagged / s.Metrics.N):F1} %)."));
        b.AppendLine();
        b.AppendLine("Skipped by class:");
        foreach (var group in run.Skipped.GroupBy(x => x.Label ?? "").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            b.AppendLine(inv, $"- {group.Key}: {group.Count()} ({string.Join(", ", group.GroupBy(x => x.Reason).Select(r => $"{r.Key} {r.Count()}"))})");
        }
        if (run.Skipped.Count == 0)
        {
            b.AppendLine("- none");
        }
        if (run.Subgroups.Count > 0)
        {
            b.AppendLine();
            b.AppendLine("## Subgroups");
            b.AppendLine();
            b.AppendLine("| column | value | n | positives | skipped | OOD | accuracy | sensitivity | specificity | ROC AUC |");
            b.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var r in run.Subgroups)
            {
                var m = r.Metrics;
                b.AppendLine(inv, $"| {r.Column} | {r.Value} | {m.N} | {m.Positives} | {r.Skipped} | {r.OodFlagged} | {m.Accuracy:F4} | {m.Sensitivity:F4} | {m.Specificity:F4} | {m.RocAuc:F4} |");
            }
        }
        if (run.LungsMasked is { } masked)
        {
            b.AppendLine();
            b.AppendLine("## Shortcut audit (lungs masked out of the input)");
            b.AppendLine();
            b.AppendLine(inv, $"ROC AUC {masked.Metrics.RocAuc:F4} (CI {masked.Ci95["roc_auc"].Lower:F4} – {masked.Ci95["roc_auc"].Upper:F4}), accuracy {masked.Metrics.Accuracy:F4}.");
            b.AppendLine("A score that stays far above 0.5 without the lungs means the model also reads cues outside them (markers, devices, body size, hospital).");
        }
        b.AppendLine();
        b.AppendLine(inv, $"Files: metrics.json, scores.csv, skipped.csv, {string.Join(", ", Figures)}.");
        return b.ToString();
    }
}
