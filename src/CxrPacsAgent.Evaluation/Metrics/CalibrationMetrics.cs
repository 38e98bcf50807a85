namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>
/// How well probabilities match outcomes: expected calibration error (ECE: the count-weighted mean |positive fraction −
/// mean probability| over equal-width bins), Brier score (mean squared error of the probability), and the reliability
/// diagram's bins.
/// </summary>
public sealed record CalibrationMetrics(double Ece, double Brier, IReadOnlyList<ReliabilityBin> Bins)
{
    public const int DefaultBins = 10;

    public static CalibrationMetrics Compute(IReadOnlyList<double> probabilities, IReadOnlyList<bool> truth, int bins = DefaultBins)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(truth);
        if (probabilities.Count != truth.Count)
        {
            throw new ArgumentException("probabilities and truth differ in length");
        }
        var n = probabilities.Count;
        var count = new int[bins];
        var sumP = new double[bins];
        var positives = new int[bins];
        double brier = 0;
        for (var i = 0; i < n; i++)
        {
            var p = Math.Clamp(probabilities[i], 0, 1);
            var b = Math.Min(bins - 1, (int)(p * bins));
            count[b]++;
            sumP[b] += p;
            positives[b] += truth[i] ? 1 : 0;
            brier += Math.Pow(p - (truth[i] ? 1 : 0), 2);
        }
        var result = new ReliabilityBin[bins];
        double ece = 0;
        for (var b = 0; b < bins; b++)
        {
            var mean = count[b] == 0 ? double.NaN : sumP[b] / count[b];
            var fraction = count[b] == 0 ? double.NaN : (double)positives[b] / count[b];
            result[b] = new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, count[b], mean, fraction);
            if (count[b] > 0)
            {
                ece += (double)count[b] / n * Math.Abs(fraction - mean);
            }
        }
        return n == 0 ? new CalibrationMetrics(double.NaN, double.NaN, result) : new CalibrationMetrics(ece, brier / n, result);
    }
}
