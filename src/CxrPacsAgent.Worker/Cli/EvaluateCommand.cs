using System.CommandLine;
using System.Globalization;
using CxrPacsAgent.Evaluation.Metrics;
using CxrPacsAgent.Evaluation.Reports;
using CxrPacsAgent.Evaluation.Scoring;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent evaluate --model PKG --data DIR --out DIR</c>: scores every labelled image on the service's path (view
/// filter, decoding, preprocessing, model), and writes metrics.json (bootstrap 95 % CIs, by patient when patient ids are
/// given; calibration; OOD; subgroups; skips per class), scores.csv, skipped.csv, the figures and report.md, plus the
/// shortcut audit (lungs masked).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "model package folder (default: the shipped package)" };
        var data = new Option<DirectoryInfo>("--data") { Description = "folder with labels.csv (path,label[,patient_id,split,...]); DICOM, PNG or JPEG", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "folder for metrics.json, scores.csv, skipped.csv, figures and report.md", Required = true };
        var split = new Option<string?>("--split") { Description = "only rows whose 'split' column has this value (e.g. val)" };
        var resamples = new Option<int>("--bootstrap") { Description = "bootstrap resamples", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "bootstrap seed", DefaultValueFactory = _ => 12345 };
        var noAudit = new Option<bool>("--no-audit") { Description = "skip the lungs-masked shortcut audit" };
        var command = new Command("evaluate", "Measure a model package on labelled images, as the service scores them")
        {
            model, data, output, split, resamples, seed, noAudit,
        };
        command.SetAction(r => CliErrors.Guard(() => PackageErrors.Guard(() => Run(
            r.GetValue(model)?.FullName ?? DefaultModel.Folder, r.GetValue(data)!, r.GetValue(output)!, r.GetValue(split),
            r.GetValue(resamples), r.GetValue(seed), !r.GetValue(noAudit)))));
        return command;
    }

    private static int Run(string modelDir, DirectoryInfo data, DirectoryInfo output, string? split, int resamples, int seed, bool audit)
    {
        var rows = LabelledData.Rows(data, split);
        // One operator thread per image and images in parallel: preprocessing is single-threaded.
        using var model = CxrModel.Load(modelDir, new InferenceOptions { IntraOpThreads = 1 }, NullLogger.Instance);
        var manifest = model.Manifest;
        var unknown = rows.Where(r => r.Label != manifest.PositiveLabel && r.Label != manifest.NegativeLabel).Select(r => r.Label).Distinct().ToArray();
        if (unknown.Length > 0)
        {
            Console.Error.WriteLine($"error: labels {string.Join(", ", unknown)} are neither '{manifest.PositiveLabel}' nor '{manifest.NegativeLabel}'");
            return CliErrors.InvalidInput;
        }
        var results = ConsoleProgress.Run("evaluate", rows.Count, p => LabelledSetScorer.Score(model, rows, lungsMaskedAudit: audit, progress: p));
        var scored = results.Where(r => r.Scored).Select(r => Image(r, r.Prediction!, manifest)).ToArray();
        var skipped = results.Where(r => !r.Scored)
            .Select(r => new SkippedImage(r.Row.RelativePath, r.Row.Label, r.SkipReason!, r.SkipMessage ?? "", r.Row.Columns)).ToArray();
        if (scored.Length == 0)
        {
            Directory.CreateDirectory(output.FullName);
            ResultTables.WriteSkipped(Path.Combine(output.FullName, "skipped.csv"), skipped);
            Console.Error.WriteLine($"error: none of the {rows.Count} images was scored (reasons in {Path.Combine(output.FullName, "skipped.csv")})");
            return CliErrors.NothingScored;
        }
        var summary = EvaluationSummary.Compute(scored, manifest.Threshold, resamples, seed);
        var masked = audit ? EvaluationSummary.Compute([.. results.Where(r => r.Masked is not null).Select(r => Image(r, r.Masked!, manifest))],
            manifest.Threshold, resamples, seed) : null;
        var description = LabelledData.Describe(data, split);
        var run = new EvaluationRun(description, scored, skipped, summary, masked,
            Subgroups.Table(scored, [.. skipped.Select(s => s.Columns)], manifest.Threshold));
        EvaluationWriter.Write(output.FullName, manifest, run);
        var m = summary.Metrics;
        Console.WriteLine(FormattableString.Invariant(
            $"{model.Package.DisplayName} on {description}: n={m.N} accuracy={m.Accuracy:F4} sensitivity={m.Sensitivity:F4} specificity={m.Specificity:F4} roc_auc={m.RocAuc:F4} pr_auc={m.PrAuc:F4} ece={summary.Calibration.Ece:F4}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"skipped: {string.Join(", ", new[] { manifest.NegativeLabel, manifest.PositiveLabel }.Select(l => $"{l} {skipped.Count(s => s.Label == l)}"))}; out of distribution: {summary.OodFlagged}"));
        if (masked is not null)
        {
            Console.WriteLine(FormattableString.Invariant($"shortcut audit (lungs masked): roc_auc={masked.Metrics.RocAuc:F4}"));
        }
        Console.WriteLine($"wrote {output.FullName}");
        return 0;
    }

    private static ScoredImage Image(ScoredRow r, Prediction p, ModelManifest manifest) =>
        new(r.Row.RelativePath, r.Row.Label == manifest.PositiveLabel, p.Score, p.Embedding)
        {
            RawScore = p.RawScore,
            PatientId = r.Row.PatientId,
            Columns = r.Row.Columns,
            OodDistance = p.Ood?.Distance,
            OutOfDistribution = p.OutOfDistribution,
        };
}
