using System.Globalization;
using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Inference.Monitoring;

/// <summary>
/// Compares recent results with the package's reference (model.json <c>reference</c>, written by <c>calibrate</c>):
/// the calibrated score distribution by the population stability index PSI = Σ (rᵢ − qᵢ)·ln(rᵢ/qᵢ) over the reference's
/// bins, and the skip and OOD rates by the z statistic of their rise. The <c>drift</c> verb and the service's daily
/// statistics job both call this.
/// </summary>
public static class DriftAnalysis
{
    /// <summary>Shares are floored at this before the logarithm, so an empty bin does not make PSI infinite.</summary>
    public const double ShareFloor = 1e-4;

    public static DriftReport Compare(ReferenceSpec reference, IReadOnlyList<ResultObservation> recent, DriftThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(recent);
        thresholds ??= new DriftThresholds();
        if (reference.ScoreBins.Count == 0 || reference.N <= 0)
        {
            throw new ArgumentException("the package reference has no score distribution: run `cxr-agent calibrate` to set one", nameof(reference));
        }
        var scored = recent.Where(r => !r.Skipped && r.Probability is not null).ToArray();
        var bins = ScoreHistogram.Shares(scored.Select(r => r.Probability!.Value).ToArray(), reference.ScoreBins.Count);
        var psi = Psi(reference.ScoreBins, bins);
        var skip = Rate("skip rate", reference.SkipRate, recent.Count(r => r.Skipped), recent.Count, reference.N, thresholds);
        var ood = reference.OodRate is { } o
            ? Rate("OOD rate", o, scored.Count(r => r.OutOfDistribution), scored.Length, reference.N, thresholds)
            : null;
        var tooFew = scored.Length < thresholds.MinResults;
        var reasons = new List<string>();
        if (psi >= thresholds.PsiMoved)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"score distribution PSI {psi:F3} ≥ {thresholds.PsiMoved:F2}"));
        }
        foreach (var rate in new[] { skip, ood }.Where(r => r is { Moved: true }))
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{rate!.Name} {rate.Recent:P1} vs {rate.Reference:P1} (z {rate.Z:F1})"));
        }
        return new DriftReport(recent.Count, scored.Length, reference.ScoreBins, bins, psi, skip, ood, tooFew, reasons);
    }

    public static double Psi(IReadOnlyList<double> reference, IReadOnlyList<double> recent)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(recent);
        double psi = 0;
        for (var i = 0; i < reference.Count; i++)
        {
            double q = Math.Max(reference[i], ShareFloor), r = Math.Max(recent[i], ShareFloor);
            psi += (r - q) * Math.Log(r / q);
        }
        return psi;
    }

    /// <summary>
    /// A one-sided z test of the rise of a rate over the reference's: the reference rate is floored at half a case of the
    /// reference set, so a reference of 0 skipped still has a standard error.
    /// </summary>
    private static RateChange Rate(string name, double reference, int count, int total, int referenceN, DriftThresholds t)
    {
        var recent = total == 0 ? 0 : (double)count / total;
        var floor = 0.5 / referenceN;
        var p0 = Math.Clamp(reference, floor, 1 - floor);
        var z = total == 0 ? 0 : (recent - p0) / Math.Sqrt(p0 * (1 - p0) / total);
        return new RateChange(name, reference, recent, count, z, z >= t.RateZ && recent - reference >= t.RateMinIncrease);
    }
}
