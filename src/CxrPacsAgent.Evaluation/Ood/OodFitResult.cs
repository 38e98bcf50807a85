namespace CxrPacsAgent.Evaluation.Ood;

/// <summary>What <c>fit-ood</c> found; with a contrast population, its image count and distance-ratio threshold.</summary>
public sealed record OodFitResult(int Dimension, int FitImages, int ThresholdImages, int Flagged, double Threshold, string Method,
    int ContrastImages = 0, double? ContrastThreshold = null);
