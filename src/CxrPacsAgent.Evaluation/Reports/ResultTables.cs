using System.Globalization;
using CxrPacsAgent.Evaluation.Metrics;
using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Evaluation.Reports;

/// <summary>
/// The per-image CSV files of an evaluation: scores.csv (path, label, patient_id, score = the graph's raw output,
/// probability = the package's calibrated score, call, ood_distance, out_of_distribution) and skipped.csv (path,
/// label, reason, message). RFC 4180 quoting where a field needs it.
/// </summary>
public static class ResultTables
{
    public static readonly string[] ScoreColumns = ["path", "label", "patient_id", "score", "probability", "call", "ood_distance", "out_of_distribution"];

    public static readonly string[] SkipColumns = ["path", "label", "reason", "message"];

    public static void WriteScores(string path, IReadOnlyList<ScoredImage> images, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(manifest);
        using var writer = new StreamWriter(path);
        writer.WriteLine(string.Join(',', ScoreColumns));
        foreach (var i in images)
        {
            // No call for an image out of distribution: the model is outside what it learnt.
            var call = i.OutOfDistribution ? "" : i.Score >= manifest.Threshold ? manifest.PositiveLabel : manifest.NegativeLabel;
            writer.WriteLine(string.Join(',', Field(i.Path), Field(i.Truth ? manifest.PositiveLabel : manifest.NegativeLabel), Field(i.PatientId ?? ""),
                Number(i.RawScore), Number(i.Score), Field(call), i.OodDistance is { } d ? Number(d) : "", i.OutOfDistribution ? "true" : "false"));
        }
    }

    public static void WriteSkipped(string path, IReadOnlyList<SkippedImage> skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        using var writer = new StreamWriter(path);
        writer.WriteLine(string.Join(',', SkipColumns));
        foreach (var s in skipped)
        {
            writer.WriteLine(string.Join(',', Field(s.Path), Field(s.Label ?? ""), Field(s.Reason), Field(s.Message)));
        }
    }

    private static string Number(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>A CSV field, quoted when it holds a comma, a quote or a line break.</summary>
    internal static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
