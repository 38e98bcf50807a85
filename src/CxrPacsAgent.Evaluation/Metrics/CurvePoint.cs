namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>A point of a ROC (X = false positive rate, Y = true positive rate) or PR (X = recall, Y = precision) curve.</summary>
public readonly record struct CurvePoint(double X, double Y, double Threshold);
