namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>Everything metrics.json reports for one set of scored images.</summary>
public sealed record EvaluationSummary(
    BinaryMetrics Metrics,
    IReadOnlyDictionary<string, ConfidenceInterval> Ci95,
    ConfusionMatrix Confusion,
    double KnnVoteAccuracy,
    double Threshold,
    int BootstrapResamples,
    int BootstrapSeed)
{
    public const int KnnK = 4;

    /// <summary>ECE, Brier score and reliability bins of the scores taken as probabilities.</summary>
    public CalibrationMetrics Calibration { get; init; } = CalibrationMetrics.Compute([], []);

    /// <summary>True when the bootstrap resampled patients (every image had a patient id), false when images.</summary>
    public bool BootstrapByPatient { get; init; }

    /// <summary>Images the package flagged as out of distribution.</summary>
    public int OodFlagged { get; init; }

    public static EvaluationSummary Compute(IReadOnlyList<ScoredImage> images, double threshold, int resamples = 1000, int seed = 12345)
    {
        ArgumentNullException.ThrowIfNull(images);
        var scores = images.Select(i => i.Score).ToArray();
        var truth = images.Select(i => i.Truth).ToArray();
        var byPatient = images.Count > 0 && images.All(i => !string.IsNullOrEmpty(i.PatientId));
        return new EvaluationSummary(
            BinaryMetrics.Compute(scores, truth, threshold),
            Bootstrap.Intervals(scores, truth, threshold, byPatient ? [.. images.Select(i => i.PatientId)] : null, resamples, seed),
            ConfusionMatrix.At(scores, truth, threshold),
            KnnVote.Accuracy([.. images.Select(i => i.Embedding)], truth, KnnK),
            threshold, resamples, seed)
        {
            Calibration = CalibrationMetrics.Compute(scores, truth),
            BootstrapByPatient = byPatient,
            OodFlagged = images.Count(i => i.OutOfDistribution),
        };
    }
}
