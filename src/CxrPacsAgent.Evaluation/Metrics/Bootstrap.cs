namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>
/// Percentile bootstrap 95 % intervals: resample with replacement, recompute every metric, take the 2.5th and 97.5th
/// percentiles. With patient ids the resampled unit is the patient (all of a patient's images together), because
/// images of one patient are not independent; without, the image. Seeded, so the same data and seed give the same
/// intervals on every machine.
/// </summary>
public static class Bootstrap
{
    public static IReadOnlyDictionary<string, ConfidenceInterval> Intervals(
        ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth, double threshold, int resamples = 1000, int seed = 12345,
        double level = 0.95) => Intervals(scores, truth, threshold, null, resamples, seed, level);

    /// <param name="scores">One score per image.</param>
    /// <param name="truth">One label per image.</param>
    /// <param name="threshold">Decision threshold for the threshold-bound metrics.</param>
    /// <param name="patients">One patient id per image (null or empty ids: every image its own patient).</param>
    /// <param name="resamples">Number of bootstrap resamples.</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="level">Interval coverage.</param>
    public static IReadOnlyDictionary<string, ConfidenceInterval> Intervals(
        ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth, double threshold, IReadOnlyList<string?>? patients,
        int resamples = 1000, int seed = 12345, double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        var clusters = Clusters(scores.Length, patients);
        var random = new Random(seed);
        var values = BinaryMetrics.Names.Select(_ => new List<double>(resamples)).ToArray();
        var s = new List<double>(scores.Length);
        var t = new List<bool>(scores.Length);
        for (var b = 0; b < resamples; b++)
        {
            s.Clear();
            t.Clear();
            for (var i = 0; i < clusters.Length; i++)
            {
                foreach (var j in clusters[random.Next(clusters.Length)])
                {
                    s.Add(scores[j]);
                    t.Add(truth[j]);
                }
            }
            var metrics = BinaryMetrics.Compute(s.ToArray(), t.ToArray(), threshold).Values();
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

    /// <summary>The images of each patient, in order of first appearance; an image without an id is a patient of its own.</summary>
    internal static int[][] Clusters(int n, IReadOnlyList<string?>? patients)
    {
        if (patients is null || patients.Count == 0 || patients.All(string.IsNullOrEmpty))
        {
            return [.. Enumerable.Range(0, n).Select(i => new[] { i })];
        }
        if (patients.Count != n)
        {
            throw new ArgumentException($"{patients.Count} patient ids for {n} images", nameof(patients));
        }
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<List<int>>();
        for (var i = 0; i < n; i++)
        {
            var id = string.IsNullOrEmpty(patients[i]) ? $"\0image {i}" : patients[i]!;
            if (!groups.TryGetValue(id, out var list))
            {
                groups[id] = list = [];
                order.Add(list);
            }
            list.Add(i);
        }
        return [.. order.Select(l => l.ToArray())];
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
