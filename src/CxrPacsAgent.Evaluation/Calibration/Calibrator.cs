using System.Text.Json.Nodes;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Evaluation.Metrics;
using CxrPacsAgent.Evaluation.Packaging;
using CxrPacsAgent.Evaluation.Scoring;
using CxrPacsAgent.Inference.Monitoring;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;

namespace CxrPacsAgent.Evaluation.Calibration;

/// <summary>
/// <c>calibrate</c>: a site's labelled cases, scored on the service's path, refit the package's Platt scaling and its
/// operating threshold (the highest that keeps the target sensitivity), and set the drift reference (score
/// distribution, skip and OOD rates). The new package records what it was fitted on.
/// </summary>
public static class Calibrator
{
    public static (ModelPackage Package, CalibrationResult Result) Run(CxrModel model, IReadOnlyList<LabeledImage> rows, CalibrateOptions options,
        IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        var manifest = model.Manifest;
        var unknown = rows.Select(r => r.Label).Where(l => l != manifest.PositiveLabel && l != manifest.NegativeLabel).Distinct().ToArray();
        if (unknown.Length > 0)
        {
            throw new InvalidDataException($"labels {string.Join(", ", unknown.Select(l => $"'{l}'"))} are neither '{manifest.PositiveLabel}' nor '{manifest.NegativeLabel}'");
        }
        var scored = LabelledSetScorer.Score(model, rows, progress: progress);
        var ok = scored.Where(r => r.Scored).ToArray();
        var truth = ok.Select(r => r.Row.Label == manifest.PositiveLabel).ToArray();
        var raw = ok.Select(r => (double)r.Prediction!.RawScore).ToArray();
        var (slope, intercept) = PlattFit.Fit(raw, truth);
        var calibration = new CalibrationSpec { Method = "platt", Slope = slope, Intercept = intercept };
        // As the runtime will compute them (Prediction.Score is a float), so the threshold falls where the runtime's scores do.
        var probabilities = raw.Select(s => (double)(float)ScoreCalibration.Probability(calibration, s)).ToArray();
        var point = OperatingPoint.ForSensitivity(probabilities, truth, options.TargetSensitivity);
        var before = CalibrationMetrics.Compute(ok.Select(r => (double)r.Prediction!.Score).ToArray(), truth);
        var after = CalibrationMetrics.Compute(probabilities, truth);
        var outOfFold = CrossFit.OutOfFold(raw, truth, [.. ok.Select(r => string.IsNullOrEmpty(r.Row.PatientId) ? r.Row.RelativePath : r.Row.PatientId)]);
        var skipped = scored.Count - ok.Length;
        var result = new CalibrationResult(slope, intercept, point, ok.Length, truth.Count(t => t), skipped, before, after, outOfFold);

        var fittedOn = FitRecord.Create(options.DataDescription, options.Split, ok.Length, options.Command,
            ("positives", truth.Count(t => t)), ("skipped", skipped),
            ("ece_before", FitRecord.Number(before.Ece)), ("ece_after_in_sample", FitRecord.Number(after.Ece)),
            ("brier_after_in_sample", FitRecord.Number(after.Brier)),
            ("ece_cross_fitted", FitRecord.Number(outOfFold.Ece)), ("brier_cross_fitted", FitRecord.Number(outOfFold.Brier)),
            ("graphs", FitRecord.Graphs(model.Package)));
        var oodFlagged = ok.Count(r => r.Prediction!.OutOfDistribution);
        var package = PackageWriter.Write(model.Package, options.Output, options.Version ?? PackageWriter.NextPatch(manifest.Version), json =>
        {
            json["calibration"] = new JsonObject
            {
                ["method"] = "platt",
                ["slope"] = FitRecord.Number(slope),
                ["intercept"] = FitRecord.Number(intercept),
                ["fitted_on"] = fittedOn,
            };
            json["threshold"] = point.Threshold;
            json["operating_point"] = new JsonObject
            {
                ["threshold_on"] = "calibrated probability",
                ["target_sensitivity"] = FitRecord.Number(point.TargetSensitivity),
                ["sensitivity"] = FitRecord.Number(point.Sensitivity),
                ["specificity"] = FitRecord.Number(point.Specificity),
                ["fitted_on"] = fittedOn.DeepClone(),
            };
            json["reference"] = new JsonObject
            {
                ["data"] = $"{options.DataDescription}{(options.Split is null ? "" : $" ({options.Split} split)")}",
                ["n"] = scored.Count,
                ["score_bins"] = new JsonArray([.. ScoreHistogram.Shares(probabilities).Select(FitRecord.Number)]),
                ["skip_rate"] = FitRecord.Number(scored.Count == 0 ? 0 : (double)skipped / scored.Count),
                ["ood_rate"] = model.OodDetector is null ? null : FitRecord.Number((double)oodFlagged / ok.Length),
            };
        });
        return (package, result);
    }
}
