namespace CxrPacsAgent.Evaluation.Calibration;

/// <summary>
/// The operating threshold a site chooses: the highest one that keeps at least the target sensitivity on its cases.
/// It is rounded down to <see cref="Decimals"/> places — model.json's precision — so the positive that sets it is still
/// called once written; pass the probabilities as the runtime computes them (float) for the same reason.
/// </summary>
public sealed record OperatingPoint(double Threshold, double TargetSensitivity, double Sensitivity, double Specificity)
{
    public const int Decimals = 6;

    private const double Scale = 1e6;

    public static OperatingPoint ForSensitivity(IReadOnlyList<double> probabilities, IReadOnlyList<bool> truth, double targetSensitivity)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(truth);
        if (!(targetSensitivity > 0 && targetSensitivity <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(targetSensitivity), targetSensitivity, "the target sensitivity must be in (0, 1]");
        }
        var positives = probabilities.Where((_, i) => truth[i]).OrderDescending().ToArray();
        var negatives = probabilities.Where((_, i) => !truth[i]).ToArray();
        if (positives.Length == 0 || negatives.Length == 0)
        {
            throw new ArgumentException($"an operating point needs both classes (got {positives.Length} positives, {negatives.Length} negatives)");
        }
        // The k-th highest positive probability: every positive at or above it is called, k / P ≥ target.
        var k = (int)Math.Ceiling((targetSensitivity * positives.Length) - 1e-9);
        var threshold = Math.Floor(positives[Math.Max(0, k - 1)] * Scale) / Scale;
        var sensitivity = (double)positives.Count(p => p >= threshold) / positives.Length;
        var specificity = (double)negatives.Count(p => p < threshold) / negatives.Length;
        return new OperatingPoint(threshold, targetSensitivity, sensitivity, specificity);
    }
}
