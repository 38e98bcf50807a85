using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Evaluation.Ood;

/// <summary>
/// What <c>fit-ood</c> is asked to do: the method (<c>knn</c> with its <paramref name="K"/>, or <c>mahalanobis</c>) and
/// features, the share of held-out images that may be flagged, the split of a contrast population (for <c>knn</c>), and
/// what to record.
/// </summary>
public sealed record OodFitOptions(string Output, string Method, int K, OodFeatures Features, double MaxFlagged, string DataDescription,
    string? FitSplit, string? ThresholdSplit, string Command, string? Version = null, string? ContrastSplit = null);
