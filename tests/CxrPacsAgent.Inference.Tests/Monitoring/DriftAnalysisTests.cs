using CxrPacsAgent.Inference.Monitoring;
using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Inference.Tests.Monitoring;

/// <summary>Drift statistics against a package reference: PSI of the score distribution, and the rise of the skip and OOD rates.</summary>
public sealed class DriftAnalysisTests
{
    private static readonly ReferenceSpec Reference = new()
    {
        Data = "test", N = 400, ScoreBins = [0.3, 0.2, 0.1, 0.0, 0.0, 0.0, 0.0, 0.1, 0.1, 0.2], SkipRate = 0.0, OodRate = 0.05,
    };

    /// <summary>n results whose probabilities follow the reference's bins (bin centres), a share skipped and a share OOD.</summary>
    private static List<ResultObservation> Results(IReadOnlyList<double> bins, int n, double skipped, double ood)
    {
        var results = new List<ResultObservation>();
        for (var b = 0; b < bins.Count; b++)
        {
            var count = (int)Math.Round(bins[b] * n);
            for (var k = 0; k < count; k++)
            {
                results.Add(ResultObservation.Scored((b + 0.5) / bins.Count, k < count * ood));
            }
        }
        results.AddRange(Enumerable.Repeat(ResultObservation.SkippedInstance, (int)Math.Round(skipped * n)));
        return results;
    }

    [Fact]
    public void Psi_matches_the_formula()
    {
        double[] q = [0.5, 0.5], r = [0.8, 0.2];
        var expected = ((0.8 - 0.5) * Math.Log(0.8 / 0.5)) + ((0.2 - 0.5) * Math.Log(0.2 / 0.5));
        Assert.Equal(expected, DriftAnalysis.Psi(q, r), 12);
        Assert.Equal(0, DriftAnalysis.Psi(q, q), 12);
    }

    [Fact]
    public void Results_like_the_reference_are_stable()
    {
        var report = DriftAnalysis.Compare(Reference, Results(Reference.ScoreBins, 300, skipped: 0, ood: 0.05));
        Assert.False(report.Moved, string.Join("; ", report.Reasons));
        Assert.True(report.Psi < 0.01, $"PSI {report.Psi}");
        Assert.Equal(Reference.ScoreBins, report.RecentBins, (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void A_shifted_score_distribution_moved()
    {
        double[] shifted = [0.05, 0.05, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2];
        var report = DriftAnalysis.Compare(Reference, Results(shifted, 300, skipped: 0, ood: 0.05));
        Assert.True(report.Moved);
        Assert.Contains(report.Reasons, r => r.StartsWith("score distribution PSI", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rise_of_skipped_or_ood_images_moved()
    {
        var report = DriftAnalysis.Compare(Reference, Results(Reference.ScoreBins, 300, skipped: 0.1, ood: 0.3));
        Assert.True(report.SkipRate.Moved);
        Assert.True(report.OodRate!.Moved);
        Assert.Equal(0.3, report.OodRate.Recent, 2);
        Assert.True(report.Moved);
        // A small wobble is not a rise: 1 skipped of 300 against a reference of 0.
        var calm = DriftAnalysis.Compare(Reference, Results(Reference.ScoreBins, 300, skipped: 1.0 / 300, ood: 0.06));
        Assert.False(calm.SkipRate.Moved);
        Assert.False(calm.OodRate!.Moved);
    }

    [Fact]
    public void Too_few_results_are_not_judged()
    {
        double[] shifted = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        var report = DriftAnalysis.Compare(Reference, Results(shifted, 20, skipped: 0, ood: 0));
        Assert.True(report.TooFewResults);
        Assert.False(report.Moved);
        Assert.NotEmpty(report.Reasons);
    }

    [Fact]
    public void A_reference_without_a_score_distribution_is_refused() =>
        Assert.Throws<ArgumentException>(() => DriftAnalysis.Compare(new ReferenceSpec(), []));
}
