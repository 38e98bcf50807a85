using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Evaluation.Ood;

/// <summary>What <c>fit-ood</c> is asked to do.</summary>
public sealed record OodFitOptions(string Output, OodFeatures Features, double MaxFlagged, string DataDescription, string? FitSplit,
    string? ThresholdSplit, string Command, string? Version = null);
