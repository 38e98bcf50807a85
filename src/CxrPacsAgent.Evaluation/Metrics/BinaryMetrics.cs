namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>The headline numbers of a binary classifier on one sample of scored images.</summary>
public sealed record BinaryMetrics(int N, int Positives, double Accuracy, double Sensitivity, double Specificity, double RocAuc, double PrAuc)
{
    public static BinaryMetrics Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth, double threshold)
    {
        var cm = ConfusionMatrix.At(scores, truth, threshold);
        return new BinaryMetrics(cm.Total, cm.TruePositive + cm.FalseNegative, cm.Accuracy, cm.Sensitivity, cm.Specificity,
            RocCurve.Auc(scores, truth), PrecisionRecallCurve.AveragePrecision(scores, truth));
    }

    /// <summary>The metric values by their metrics.json names, the order the bootstrap reports them in.</summary>
    public static readonly string[] Names = ["accuracy", "sensitivity", "specificity", "roc_auc", "pr_auc"];

    public double[] Values() => [Accuracy, Sensitivity, Specificity, RocAuc, PrAuc];
}
