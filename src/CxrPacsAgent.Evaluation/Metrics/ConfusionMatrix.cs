namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>Counts at one threshold (score ≥ threshold is positive) and the rates read from them.</summary>
public sealed record ConfusionMatrix(int TruePositive, int FalsePositive, int TrueNegative, int FalseNegative)
{
    public int Total => TruePositive + FalsePositive + TrueNegative + FalseNegative;

    public double Accuracy => Ratio(TruePositive + TrueNegative, Total);

    /// <summary>Recall of the positive class (true positive rate).</summary>
    public double Sensitivity => Ratio(TruePositive, TruePositive + FalseNegative);

    /// <summary>True negative rate.</summary>
    public double Specificity => Ratio(TrueNegative, TrueNegative + FalsePositive);

    /// <summary>Positive predictive value.</summary>
    public double Precision => Ratio(TruePositive, TruePositive + FalsePositive);

    public static ConfusionMatrix At(ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth, double threshold)
    {
        if (scores.Length != truth.Length)
        {
            throw new ArgumentException("scores and truth differ in length");
        }
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var predicted = scores[i] >= threshold;
            if (predicted && truth[i]) { tp++; }
            else if (predicted) { fp++; }
            else if (truth[i]) { fn++; }
            else { tn++; }
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /// <summary>NaN when undefined (e.g. sensitivity with no positives), so a missing class is never reported as 0 or 1.</summary>
    private static double Ratio(int a, int b) => b == 0 ? double.NaN : (double)a / b;
}
