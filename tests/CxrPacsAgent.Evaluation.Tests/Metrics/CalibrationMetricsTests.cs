using CxrPacsAgent.Evaluation.Metrics;

namespace CxrPacsAgent.Evaluation.Tests.Metrics;

public sealed class CalibrationMetricsTests
{
    [Fact]
    public void Ece_and_brier_by_hand()
    {
        // Bin [0.1,0.2): 0.15 ×2, one positive → |0.5 − 0.15| · 2/4. Bin [0.9,1.0]: 0.95 and 1.0, both positive → |1 − 0.975| · 2/4.
        double[] p = [0.15, 0.15, 0.95, 1.0];
        bool[] y = [true, false, true, true];
        var c = CalibrationMetrics.Compute(p, y);
        Assert.Equal((0.35 * 0.5) + (0.025 * 0.5), c.Ece, 12);
        Assert.Equal((Math.Pow(0.85, 2) + Math.Pow(0.15, 2) + Math.Pow(0.05, 2) + 0) / 4, c.Brier, 12);
        Assert.Equal(10, c.Bins.Count);
        Assert.Equal(2, c.Bins[1].Count);
        Assert.Equal(0.5, c.Bins[1].PositiveFraction, 12);
        Assert.Equal(2, c.Bins[9].Count);   // 1.0 falls in the last bin
        Assert.Equal(0, c.Bins[5].Count);
        Assert.True(double.IsNaN(c.Bins[5].MeanProbability));
    }

    [Fact]
    public void Perfectly_calibrated_outcomes_have_an_ece_near_zero()
    {
        var r = new Random(5);
        var p = Enumerable.Range(0, 20000).Select(_ => r.NextDouble()).ToArray();
        var y = p.Select(v => r.NextDouble() < v).ToArray();
        Assert.InRange(CalibrationMetrics.Compute(p, y).Ece, 0, 0.02);
    }
}
