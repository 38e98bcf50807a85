using System.CommandLine;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Evaluation.Metrics;
using CxrPacsAgent.Evaluation.Reports;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent evaluate --model PKG --data DIR --out DIR</c>: scores every labelled image, writes metrics.json (with
/// bootstrap 95 % CIs), ROC/PR/histogram/confusion/t-SNE figures and report.md, plus the shortcut audit (lungs masked).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "model package folder (default: the shipped package)" };
        var data = new Option<DirectoryInfo>("--data") { Description = "folder with labels.csv (path,label[,patient_id]); PNG/JPEG images", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "folder for metrics.json, figures and report.md", Required = true };
        var split = new Option<string?>("--split") { Description = "only rows whose 'split' column has this value (e.g. val)" };
        var resamples = new Option<int>("--bootstrap") { Description = "bootstrap resamples", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "bootstrap seed", DefaultValueFactory = _ => 12345 };
        var noAudit = new Option<bool>("--no-audit") { Description = "skip the lungs-masked shortcut audit" };
        var command = new Command("evaluate", "Measure a model package on labelled images") { model, data, output, split, resamples, seed, noAudit };
        command.SetAction(r => CliErrors.Guard(() => PackageErrors.Guard(() => Run(
            r.GetValue(model)?.FullName ?? DefaultModel.Folder, r.GetValue(data)!, r.GetValue(output)!, r.GetValue(split),
            r.GetValue(resamples), r.GetValue(seed), !r.GetValue(noAudit)))));
        return command;
    }

    private static int Run(string modelDir, DirectoryInfo data, DirectoryInfo output, string? split, int resamples, int seed, bool audit)
    {
        var rows = LabelsCsv.Read(Path.Combine(data.FullName, "labels.csv"))
            .Where(r => split is null || (r.Columns.TryGetValue("split", out var s) && s == split)).ToArray();
        // One operator thread per image and images in parallel: preprocessing is single-threaded.
        using var model = CxrModel.Load(modelDir, new InferenceOptions { IntraOpThreads = 1 }, NullLogger.Instance);
        var manifest = model.Manifest;
        var unknown = rows.Where(r => r.Label != manifest.PositiveLabel && r.Label != manifest.NegativeLabel).Select(r => r.Label).Distinct().ToArray();
        if (unknown.Length > 0)
        {
            Console.Error.WriteLine($"error: labels {string.Join(", ", unknown)} are neither '{manifest.PositiveLabel}' nor '{manifest.NegativeLabel}'");
            return CliErrors.InvalidInput;
        }
        var builder = new ModelInputBuilder(manifest, model.LungSegmenter);
        var results = ConsoleProgress.Run("evaluate", rows.Length, progress => ParallelRows.Map(rows, row =>
        {
            try
            {
                var pre = builder.Preprocess(RadiographLoader.Load(row.Path));
                var truth = row.Label == manifest.PositiveLabel;
                var p = model.Predict(builder.Build(pre));
                ScoredImage? masked = null;
                if (audit)
                {
                    var m = model.Predict(builder.Build(pre, lungMask: true));
                    masked = new ScoredImage(row.RelativePath, truth, m.Score, m.Embedding);
                }
                return (Scored: new ScoredImage(row.RelativePath, truth, p.Score, p.Embedding), Masked: masked, Skip: (string?)null);
            }
            catch (ImageException e)
            {
                return (Scored: (ScoredImage?)null, Masked: (ScoredImage?)null, Skip: $"{row.RelativePath}: {e.Error}");
            }
        }, progress));
        var scored = results.Where(r => r.Scored is not null).Select(r => r.Scored!).ToArray();
        var skipped = results.Where(r => r.Skip is not null).Select(r => r.Skip!).ToArray();
        var summary = EvaluationSummary.Compute(scored, manifest.Threshold, resamples, seed);
        var maskedSummary = audit ? EvaluationSummary.Compute([.. results.Where(r => r.Masked is not null).Select(r => r.Masked!)],
            manifest.Threshold, resamples, seed) : null;
        var description = $"{data.Name}{(split is null ? "" : $" ({split} split)")}";
        EvaluationWriter.Write(output.FullName, manifest, description, scored, summary, maskedSummary, skipped);
        var m = summary.Metrics;
        Console.WriteLine(FormattableString.Invariant(
            $"{model.Package.DisplayName} on {description}: n={m.N} accuracy={m.Accuracy:F4} sensitivity={m.Sensitivity:F4} specificity={m.Specificity:F4} roc_auc={m.RocAuc:F4} pr_auc={m.PrAuc:F4}"));
        if (maskedSummary is not null)
        {
            Console.WriteLine(FormattableString.Invariant($"shortcut audit (lungs masked): roc_auc={maskedSummary.Metrics.RocAuc:F4}"));
        }
        Console.WriteLine($"wrote {output.FullName}");
        return 0;
    }
}
