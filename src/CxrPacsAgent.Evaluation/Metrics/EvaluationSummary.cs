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

    public static EvaluationSummary Compute(IReadOnlyList<ScoredImage> images, double threshold, int resamples = 1000, int seed = 12345)
    {
        ArgumentNullException.ThrowIfNull(images);
        var scores = images.Select(i => i.Score).ToArray();
        var truth = images.Select(i => i.Truth).ToArray();
        return new EvaluationSummary(
            BinaryMetrics.Compute(scores, truth, threshold),
            Bootstrap.Intervals(scores, truth, threshold, resamples, seed),
            ConfusionMatrix.At(scores, truth, threshold),
            KnnVote.Accuracy([.. images.Select(i => i.Embedding)], truth, KnnK),
            threshold, resamples, seed);
    }
}
