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
        IReadOnlyList<LabeledImage> thresholdRows, OodFitOptions options, IProgress<int>? progress = null,
        IReadOnlyList<LabeledImage>? contrastRows = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var backbone = options.Features != OodFeatures.Embedding;
        if (backbone && model.Package.GraphPaths.Count < 2)
        {
            throw new ArgumentException("backbone and pooled features need a package whose chain has two graphs or more; use embedding features");
        }
        if (contrastRows is not null && options.Method != "knn")
        {
            throw new ArgumentException("a contrast population needs the knn method");
        }
        var fit = Features(model, LabelledSetScorer.Score(model, fitRows, keepFeatures: backbone, progress: progress), options.Features);
        var held = Features(model, LabelledSetScorer.Score(model, thresholdRows, keepFeatures: backbone, progress: progress), options.Features);
        var contrast = contrastRows is null ? null
            : Features(model, LabelledSetScorer.Score(model, contrastRows, keepFeatures: backbone, progress: progress), options.Features);
        if (fit.Count < Math.Max(2, options.K) || held.Count == 0 || (contrast is not null && contrast.Count < options.K))
        {
            throw new ArgumentException($"OOD fitting needs more scored images (fit: {fit.Count}, threshold: {held.Count}, contrast: {contrast?.Count ?? 0})");
        }
        var d = fit[0].Length;
        if (contrast is not null)
        {
            return WithContrast(model, fit, held, contrast, options);
        }
        var (detector, write, fitted) = options.Method == "knn" ? NearestNeighbours(fit, d, options) : Mahalanobis(fit, d, options);
        var distances = held.Select(f => detector.Measure(f).Distance).ToArray();
        var threshold = RoundUp(OodStatistics.Threshold(distances, options.MaxFlagged));
        var flagged = distances.Count(x => x > threshold);
        var result = new OodFitResult(d, fit.Count, held.Count, flagged, threshold, options.Method);
        return (Write(model, options, OodJson(options, threshold, fit.Count, held.Count, flagged, d, fitted, model), write), result);
    }

    /// <summary>
    /// k-NN with a contrast population: the distance threshold is the largest held-out distance (alone it flags none of
    /// them: it is there for images far from everything, such as non-chest ones), and the ratio threshold takes the
    /// whole allowance of held-out images flagged.
    /// </summary>
    private static (ModelPackage, OodFitResult) WithContrast(CxrModel model, List<float[]> fit, List<float[]> held, List<float[]> contrast,
        OodFitOptions options)
    {
        var d = fit[0].Length;
        var (training, trainingHalf) = Normalised(fit, d);
        var (others, othersHalf) = Normalised(contrast, d);
        var inside = held.Select(f => OodDetector.KthNearestDistance(training, d, options.K, f)).ToArray();
        var ratios = held.Select((f, i) => OodDetector.ContrastRatio(inside[i], OodDetector.KthNearestDistance(others, d, options.K, f))).ToArray();
        // Floored so that both stay > 0 (the manifest's rule) when held-out images coincide with reference ones.
        var threshold = RoundUp(Math.Max(inside.Max(), OodDetector.ContrastFloor));
        var ratioThreshold = RoundUp(Math.Max(OodStatistics.Threshold(ratios, options.MaxFlagged), OodDetector.ContrastFloor));
        var detector = OodDetector.NearestNeighbourWithContrast(training, others, d, options.K, threshold, ratioThreshold, options.Features);
        var flagged = held.Count(f => detector.Measure(f).Flagged);
        var result = new OodFitResult(d, fit.Count, held.Count, flagged, threshold, options.Method, contrast.Count, ratioThreshold);
        var json = OodJson(options, threshold, fit.Count, held.Count, flagged, d, [("k", options.K)], model);
        json["contrast"] = new JsonObject
        {
            ["rows"] = contrast.Count,
            ["threshold"] = ratioThreshold,
            ["fitted_on"] = FitRecord.Create(options.DataDescription, options.ContrastSplit, contrast.Count, options.Command),
        };
        Half[] stored = [.. trainingHalf, .. othersHalf];
        return (Write(model, options, json, path => NpyWriter.WriteHalf(path, stored, fit.Count + contrast.Count, d)), result);
    }

    /// <summary>Rounded up to model.json's 6 decimals, so writing a threshold flags no more held-out images than the fit did.</summary>
    private static double RoundUp(double threshold) => Math.Ceiling(threshold * 1e6) / 1e6;

    private static JsonObject OodJson(OodFitOptions options, double threshold, int fitCount, int heldCount, int flagged, int d,
        (string, JsonNode?)[] fitted, CxrModel model)
    {
        var ood = new JsonObject
        {
            ["method"] = options.Method,
            ["features"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(options.Features.ToString()),
            ["file"] = StatisticsFile,
            ["threshold"] = threshold,
            ["fitted_on"] = FitRecord.Create(options.DataDescription, options.FitSplit, fitCount, options.Command,
                [("dimension", d), .. fitted, ("graphs", FitRecord.Graphs(model.Package))]),
            ["threshold_fitted_on"] = FitRecord.Create(options.DataDescription, options.ThresholdSplit, heldCount, options.Command,
                ("max_flagged", FitRecord.Number(options.MaxFlagged)), ("flagged", flagged),
                ("flagged_fraction", FitRecord.Number((double)flagged / heldCount))),
        };
        if (options.Method == "knn")
        {
            ood["k"] = options.K;
        }
        return ood;
    }

    private static ModelPackage Write(CxrModel model, OodFitOptions options, JsonObject ood, Action<string> write) =>
        PackageWriter.Write(model.Package, options.Output, options.Version ?? PackageWriter.NextPatch(model.Manifest.Version),
            json => json["ood"] = ood, new Dictionary<string, Action<string>> { [StatisticsFile] = write });

    /// <summary>The training features, L2-normalised and stored as float16 [N, D].</summary>
    private static (OodDetector, Action<string>, (string, JsonNode?)[]) NearestNeighbours(List<float[]> fit, int d, OodFitOptions options)
    {
        var (asRead, stored) = Normalised(fit, d);
        var detector = OodDetector.NearestNeighbour(asRead, d, options.K, double.MaxValue, options.Features);
        return (detector, path => NpyWriter.WriteHalf(path, stored, fit.Count, d), [("k", options.K)]);
    }

    /// <summary>The features L2-normalised and stored as float16 [N, D], and as the runtime reads them back.</summary>
    private static (float[] AsRead, Half[] Stored) Normalised(List<float[]> features, int d)
    {
        var stored = new Half[features.Count * d];
        for (var i = 0; i < features.Count; i++)
        {
            var norm = Math.Sqrt(features[i].Sum(v => (double)v * v));
            for (var j = 0; j < d; j++)
            {
                stored[(i * d) + j] = (Half)(norm == 0 ? 0 : features[i][j] / norm);
            }
        }
        return ([.. stored.Select(h => (float)h)], stored);
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
