namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>
/// Percentile bootstrap 95 % intervals: resample images with replacement, recompute every metric, take the 2.5th and
/// 97.5th percentiles. Seeded, so the same data and seed give the same intervals on every machine.
/// </summary>
public static class Bootstrap
{
    public static IReadOnlyDictionary<string, ConfidenceInterval> Intervals(
        ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth, double threshold, int resamples = 1000, int seed = 12345,
        double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        var n = scores.Length;
        var random = new Random(seed);
        var values = BinaryMetrics.Names.Select(_ => new List<double>(resamples)).ToArray();
        var s = new double[n];
        var t = new bool[n];
        for (var b = 0; b < resamples; b++)
        {
            for (var i = 0; i < n; i++)
            {
                var j = random.Next(n);
                s[i] = scores[j];
                t[i] = truth[j];
            }
            var metrics = BinaryMetrics.Compute(s, t, threshold).Values();
            for (var k = 0; k < metrics.Length; k++)
            {
                // A resample without one class leaves some metrics undefined: it does not count for those.
                if (!double.IsNaN(metrics[k]))
                {
                    values[k].Add(metrics[k]);
                }
            }
        }
        var alpha = (1 - level) / 2;
        var result = new Dictionary<string, ConfidenceInterval>();
        for (var k = 0; k < values.Length; k++)
        {
            var sorted = values[k].Order().ToArray();
            result[BinaryMetrics.Names[k]] = sorted.Length == 0
                ? new ConfidenceInterval(double.NaN, double.NaN, 0)
                : new ConfidenceInterval(Percentile(sorted, alpha), Percentile(sorted, 1 - alpha), sorted.Length);
        }
        return result;
    }

    /// <summary>Linear interpolation between order statistics (numpy's default percentile).</summary>
    internal static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
