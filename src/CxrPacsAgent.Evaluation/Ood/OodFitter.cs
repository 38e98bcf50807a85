using System.Text.Json.Nodes;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Evaluation.Packaging;
using CxrPacsAgent.Evaluation.Scoring;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;

namespace CxrPacsAgent.Evaluation.Ood;

/// <summary>
/// <c>fit-ood</c>: the training images' feature statistics and a distance threshold chosen on held-out in-distribution
/// images (at most <see cref="OodFitOptions.MaxFlagged"/> of them flagged), written into a new package.
/// </summary>
public static class OodFitter
{
    public const string StatisticsFile = "ood.npy";

    public static (ModelPackage Package, OodFitResult Result) Run(CxrModel model, IReadOnlyList<LabeledImage> fitRows,
        IReadOnlyList<LabeledImage> thresholdRows, OodFitOptions options, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Features == OodFeatures.Backbone && model.Package.GraphPaths.Count < 2)
        {
            throw new ArgumentException("backbone features need a package whose chain has two graphs or more; use embedding features");
        }
        var backbone = options.Features == OodFeatures.Backbone;
        var fit = Features(LabelledSetScorer.Score(model, fitRows, keepFeatures: backbone, progress: progress), backbone);
        var held = Features(LabelledSetScorer.Score(model, thresholdRows, keepFeatures: backbone, progress: progress), backbone);
        if (fit.Count < 2 || held.Count == 0)
        {
            throw new ArgumentException($"OOD fitting needs scored images in both splits (fit: {fit.Count}, threshold: {held.Count})");
        }
        var statistics = OodStatistics.Fit(fit);
        var detector = new OodDetector(statistics.Mean, statistics.Precision, double.MaxValue, options.Features);
        var distances = held.Select(f => detector.Measure(f).Distance).ToArray();
        var threshold = OodStatistics.Threshold(distances, options.MaxFlagged);
        var flagged = distances.Count(d => d > threshold);
        var result = new OodFitResult(statistics.Dimension, fit.Count, held.Count, flagged, threshold, statistics.Shrinkage);

        var d = statistics.Dimension;
        var matrix = new float[(d + 1) * d];
        for (var j = 0; j < d; j++)
        {
            matrix[j] = (float)statistics.Mean[j];
        }
        for (var k = 0; k < d * d; k++)
        {
            matrix[d + k] = (float)statistics.Precision[k];
        }
        var package = PackageWriter.Write(model.Package, options.Output, options.Version ?? PackageWriter.NextPatch(model.Manifest.Version), json =>
        {
            json["ood"] = new JsonObject
            {
                ["method"] = "mahalanobis",
                ["features"] = options.Features == OodFeatures.Embedding ? "embedding" : "backbone",
                ["file"] = StatisticsFile,
                ["threshold"] = FitRecord.Number(threshold),
                ["fitted_on"] = FitRecord.Create(options.DataDescription, options.FitSplit, fit.Count, options.Command,
                    ("dimension", d), ("ledoit_wolf_shrinkage", FitRecord.Number(statistics.Shrinkage)), ("graphs", FitRecord.Graphs(model.Package))),
                ["threshold_fitted_on"] = FitRecord.Create(options.DataDescription, options.ThresholdSplit, held.Count, options.Command,
                    ("max_flagged", FitRecord.Number(options.MaxFlagged)), ("flagged", flagged),
                    ("flagged_fraction", FitRecord.Number((double)flagged / held.Count))),
            };
        }, new Dictionary<string, Action<string>> { [StatisticsFile] = path => NpyWriter.Write(path, matrix, d + 1, d) });
        return (package, result);
    }

    private static List<float[]> Features(IReadOnlyList<ScoredRow> rows, bool backbone) =>
        [.. rows.Where(r => r.Scored).Select(r => backbone ? r.Features! : r.Prediction!.Embedding)];
}
