namespace CxrPacsAgent.Inference.Monitoring;

/// <summary>The share of probabilities in each of N equal-width bins over [0,1]: the package reference's and drift's common shape.</summary>
public static class ScoreHistogram
{
    public const int DefaultBins = 10;

    public static double[] Shares(IReadOnlyCollection<double> probabilities, int bins = DefaultBins)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var shares = new double[bins];
        if (probabilities.Count == 0)
        {
            return shares;
        }
        foreach (var p in probabilities)
        {
            shares[Math.Clamp((int)(p * bins), 0, bins - 1)] += 1.0 / probabilities.Count;
        }
        return shares;
    }
}
