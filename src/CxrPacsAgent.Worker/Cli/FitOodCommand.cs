using System.CommandLine;
using System.Globalization;
using CxrPacsAgent.Evaluation.Ood;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent fit-ood --model PKG --data DIR --out PKG2 [--fit-split train] [--threshold-split val]</c>: the package's
/// training-distribution statistics and its out-of-distribution threshold, written into a new package.
/// </summary>
internal static class FitOodCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "model package to start from", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "folder with labels.csv (path,label,...,split): the images the package trained on and held-out ones", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "new package folder (must not exist or be empty)", Required = true };
        var fitSplit = new Option<string>("--fit-split") { Description = "rows the statistics are fitted on (the training images)", DefaultValueFactory = _ => "train" };
        var thresholdSplit = new Option<string>("--threshold-split") { Description = "held-out in-distribution rows the threshold is chosen on", DefaultValueFactory = _ => "val" };
        var features = new Option<OodFeatures>("--features") { Description = "backbone (the last graph's input), pooled (that input averaged over its positions, for a chain that hands on a feature map) or embedding", DefaultValueFactory = _ => OodFeatures.Backbone };
        var method = new Option<string>("--method") { Description = "knn (cosine distance to the k-th nearest training image) or mahalanobis", DefaultValueFactory = _ => "knn" };
        method.AcceptOnlyFromAmong("knn", "mahalanobis");
        var k = new Option<int>("--k") { Description = "which nearest training image counts, for knn", DefaultValueFactory = _ => 10 };
        var maxFlagged = new Option<double>("--max-flagged") { Description = "largest share of the threshold split that may be flagged", DefaultValueFactory = _ => 0.05 };
        var version = new Option<string?>("--version") { Description = "version of the new package (default: the next patch version)" };
        var contrastSplit = new Option<string?>("--contrast-split") { Description = "rows of a known other population the package must flag (e.g. children for an adult model), for knn: also flagged is an image nearer to them than to the training images" };
        var command = new Command("fit-ood", "Fit a package's out-of-distribution statistics and threshold")
        {
            model, data, output, fitSplit, thresholdSplit, method, k, features, maxFlagged, version, contrastSplit,
        };
        command.SetAction(r => CliErrors.Guard(() => PackageErrors.Guard(() =>
        {
            var (dataDir, fit, threshold) = (r.GetValue(data)!, r.GetValue(fitSplit)!, r.GetValue(thresholdSplit)!);
            var options = new OodFitOptions(r.GetValue(output)!.FullName, r.GetValue(method)!, r.GetValue(k), r.GetValue(features),
                r.GetValue(maxFlagged), dataDir.Name, fit, threshold, LabelledData.CommandLine(), r.GetValue(version), r.GetValue(contrastSplit));
            return Run(r.GetValue(model)!, dataDir, options);
        })));
        return command;
    }

    private static int Run(DirectoryInfo modelDir, DirectoryInfo data, OodFitOptions options)
    {
        var fitRows = LabelledData.Rows(data, options.FitSplit);
        var thresholdRows = LabelledData.Rows(data, options.ThresholdSplit);
        var contrastRows = options.ContrastSplit is { } c ? LabelledData.Rows(data, c) : null;
        var factory = new SessionFactory(new InferenceOptions { IntraOpThreads = 1 }, NullLogger.Instance);
        using var model = CxrModel.Load(ModelPackage.Load(modelDir.FullName, PackageOpenMode.Upgrade), factory);
        var (package, result) = ConsoleProgress.Run("fit-ood", fitRows.Count + thresholdRows.Count + (contrastRows?.Count ?? 0),
            p => OodFitter.Run(model, fitRows, thresholdRows, options, p, contrastRows));
        var contrast = result.ContrastThreshold is { } ratio
            ? string.Create(CultureInfo.InvariantCulture, $" (contrast: {result.ContrastImages} images of '{options.ContrastSplit}', distance ratio threshold {ratio:F6})")
            : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{package.DisplayName}: {result.Method} on {options.Features.ToString().ToLowerInvariant()} features ({result.Dimension}-d) of {result.FitImages} images of '{options.FitSplit}'; threshold {result.Threshold:F6}{contrast} flags {result.Flagged} of {result.ThresholdImages} '{options.ThresholdSplit}' images ({100.0 * result.Flagged / result.ThresholdImages:F1} %)"));
        Console.WriteLine($"wrote {package.Folder}");
        return 0;
    }
}
