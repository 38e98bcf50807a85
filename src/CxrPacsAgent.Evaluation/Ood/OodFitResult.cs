namespace CxrPacsAgent.Evaluation.Ood;

/// <summary>What <c>fit-ood</c> found.</summary>
public sealed record OodFitResult(int Dimension, int FitImages, int ThresholdImages, int Flagged, double Threshold, string Method);
