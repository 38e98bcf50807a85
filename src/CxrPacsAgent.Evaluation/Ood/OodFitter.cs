using System.Text.Json;
using System.Text.Json.Nodes;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Evaluation.Packaging;
using CxrPacsAgent.Evaluation.Scoring;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;

namespace CxrPacsAgent.Evaluation.Ood;

/// <summary>
/// <c>fit-ood</c>: statistics of the training images' features and a distance threshold chosen on held-out
/// in-distribution images (at most <see cref="OodFitOptions.MaxFlagged"/> of them flagged), written into a new package.
/// The threshold is chosen on distances measured exactly as the runtime will measure them — from the statistics as
/// stored (float16 neighbours, float32 Mahalanobis) — and rounded up to model.json's 6 decimals, so writing it flags
/// no more held-out images than the fit did.
/// </summary>
public static class OodFitter
{
    public const string StatisticsFile = "ood.npy";

    public static (ModelPackage Package, OodFitResult Result) Run(CxrModel model, IReadOnlyList<LabeledImage> fitRows,
        IReadOnlyList<LabeledImage> thresholdRows, OodFitOptions options, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var backbone = options.Features != OodFeatures.Embedding;
        if (backbone && model.Package.GraphPaths.Count < 2)
        {
            throw new ArgumentException("backbone and pooled features need a package whose chain has two graphs or more; use embedding features");
        }
        var fit = Features(model, LabelledSetScorer.Score(model, fitRows, keepFeatures: backbone, progress: progress), options.Features);
        var held = Features(model, LabelledSetScorer.Score(model, thresholdRows, keepFeatures: backbone, progress: progress), options.Features);
        if (fit.Count < Math.Max(2, options.K) || held.Count == 0)
        {
            throw new ArgumentException($"OOD fitting needs more scored images (fit: {fit.Count}, threshold: {held.Count})");
        }
        var d = fit[0].Length;
        var (detector, write, fitted) = options.Method == "knn" ? NearestNeighbours(fit, d, options) : Mahalanobis(fit, d, options);
        var distances = held.Select(f => detector.Measure(f).Distance).ToArray();
        var threshold = Math.Ceiling(OodStatistics.Threshold(distances, options.MaxFlagged) * 1e6) / 1e6;
        var flagged = distances.Count(x => x > threshold);
        var result = new OodFitResult(d, fit.Count, held.Count, flagged, threshold, options.Method);

        var package = PackageWriter.Write(model.Package, options.Output, options.Version ?? PackageWriter.NextPatch(model.Manifest.Version), json =>
        {
            var ood = new JsonObject
            {
                ["method"] = options.Method,
                ["features"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(options.Features.ToString()),
                ["file"] = StatisticsFile,
                ["threshold"] = threshold,
                ["fitted_on"] = FitRecord.Create(options.DataDescription, options.FitSplit, fit.Count, options.Command,
                    [("dimension", d), .. fitted, ("graphs", FitRecord.Graphs(model.Package))]),
                ["threshold_fitted_on"] = FitRecord.Create(options.DataDescription, options.ThresholdSplit, held.Count, options.Command,
                    ("max_flagged", FitRecord.Number(options.MaxFlagged)), ("flagged", flagged),
                    ("flagged_fraction", FitRecord.Number((double)flagged / held.Count))),
            };
            if (options.Method == "knn")
            {
                ood["k"] = options.K;
            }
            json["ood"] = ood;
        }, new Dictionary<string, Action<string>> { [StatisticsFile] = write });
        return (package, result);
    }

    /// <summary>The training features, L2-normalised and stored as float16 [N, D].</summary>
    private static (OodDetector, Action<string>, (string, JsonNode?)[]) NearestNeighbours(List<float[]> fit, int d, OodFitOptions options)
    {
        var stored = new Half[fit.Count * d];
        for (var i = 0; i < fit.Count; i++)
        {
            var norm = Math.Sqrt(fit[i].Sum(v => (double)v * v));
            for (var j = 0; j < d; j++)
            {
                stored[(i * d) + j] = (Half)(norm == 0 ? 0 : fit[i][j] / norm);
            }
        }
        var asRead = stored.Select(h => (float)h).ToArray();
        var detector = OodDetector.NearestNeighbour(asRead, d, options.K, double.MaxValue, options.Features);
        return (detector, path => NpyWriter.WriteHalf(path, stored, fit.Count, d), [("k", options.K)]);
    }

    /// <summary>The mean and Ledoit–Wolf precision, stored as float32 [D+1, D].</summary>
    private static (OodDetector, Action<string>, (string, JsonNode?)[]) Mahalanobis(List<float[]> fit, int d, OodFitOptions options)
    {
        var statistics = OodStatistics.Fit(fit);
        var matrix = new float[(d + 1) * d];
        for (var j = 0; j < d; j++)
        {
            matrix[j] = (float)statistics.Mean[j];
        }
        for (var k = 0; k < d * d; k++)
        {
            matrix[d + k] = (float)statistics.Precision[k];
        }
        var detector = OodDetector.Mahalanobis([.. matrix.AsSpan(0, d).ToArray().Select(v => (double)v)],
            [.. matrix.AsSpan(d).ToArray().Select(v => (double)v)], double.MaxValue, options.Features);
        return (detector, path => NpyWriter.Write(path, matrix, d + 1, d), [("ledoit_wolf_shrinkage", FitRecord.Number(statistics.Shrinkage))]);
    }

    private static List<float[]> Features(CxrModel model, IReadOnlyList<ScoredRow> rows, OodFeatures kind) =>
        [.. rows.Where(r => r.Scored).Select(r => model.OodInput(kind, r.Features, r.Prediction!.Embedding).ToArray())];
}
