using CxrPacsAgent.Evaluation.Metrics;

namespace CxrPacsAgent.Evaluation.Tests.Metrics;

public sealed class BootstrapTests
{
    private static (double[] Scores, bool[] Truth) Data()
    {
        var r = new Random(3);
        var truth = Enumerable.Range(0, 200).Select(i => i % 3 != 0).ToArray();
        var scores = truth.Select(t => Math.Clamp((t ? 0.65 : 0.35) + ((r.NextDouble() - 0.5) * 0.8), 0, 1)).ToArray();
        return (scores, truth);
    }

    [Fact]
    public void Same_seed_same_intervals()
    {
        var (s, t) = Data();
        var a = Bootstrap.Intervals(s, t, 0.5, resamples: 300, seed: 42);
        var b = Bootstrap.Intervals(s, t, 0.5, resamples: 300, seed: 42);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Another_seed_other_intervals()
    {
        var (s, t) = Data();
        var a = Bootstrap.Intervals(s, t, 0.5, resamples: 300, seed: 42);
        var b = Bootstrap.Intervals(s, t, 0.5, resamples: 300, seed: 43);
        Assert.NotEqual(a["roc_auc"], b["roc_auc"]);
    }

    [Fact]
    public void Interval_contains_the_point_estimate()
    {
        var (s, t) = Data();
        var point = BinaryMetrics.Compute(s, t, 0.5);
        var ci = Bootstrap.Intervals(s, t, 0.5, resamples: 500, seed: 1);
        foreach (var (name, value) in BinaryMetrics.Names.Zip(point.Values()))
        {
            Assert.InRange(value, ci[name].Lower, ci[name].Upper);
            Assert.True(ci[name].Upper - ci[name].Lower < 0.3, name);
        }
    }

    [Fact]
    public void Identical_scores_for_all_give_a_degenerate_interval()
    {
        var ci = Bootstrap.Intervals([0.5, 0.5, 0.5, 0.5], [true, false, true, false], 0.5, resamples: 100, seed: 0);
        Assert.Equal(0.5, ci["roc_auc"].Lower);
        Assert.Equal(0.5, ci["roc_auc"].Upper);
    }

    [Fact]
    public void Percentile_interpolates_like_numpy()
    {
        // numpy.percentile([1,2,3,4], 25) = 1.75; 97.5 → 3.925.
        Assert.Equal(1.75, Bootstrap.Percentile([1, 2, 3, 4], 0.25), 12);
        Assert.Equal(3.925, Bootstrap.Percentile([1, 2, 3, 4], 0.975), 12);
    }
}
