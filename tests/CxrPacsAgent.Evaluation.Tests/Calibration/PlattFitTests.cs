using CxrPacsAgent.Evaluation.Calibration;
using CxrPacsAgent.Evaluation.Metrics;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;

namespace CxrPacsAgent.Evaluation.Tests.Calibration;

public sealed class PlattFitTests
{
    /// <summary>Raw scores whose true probability is σ(a·logit(s) + b): overconfident scores, as a saturated softmax gives.</summary>
    private static (double[] Raw, bool[] Truth) Sample(int n, double a, double b, int seed)
    {
        var r = new Random(seed);
        var raw = Enumerable.Range(0, n).Select(_ => 1 / (1 + Math.Exp(-((r.NextDouble() * 16) - 8)))).ToArray();
        var truth = raw.Select(s => r.NextDouble() < 1 / (1 + Math.Exp(-((a * ScoreCalibration.Logit(s)) + b)))).ToArray();
        return (raw, truth);
    }

    [Fact]
    public void Recovers_the_slope_and_intercept_that_generated_the_outcomes()
    {
        var (raw, truth) = Sample(20000, a: 0.4, b: 0.3, seed: 1);
        var (slope, intercept) = PlattFit.Fit(raw, truth);
        Assert.InRange(slope, 0.37, 0.43);
        Assert.InRange(intercept, 0.24, 0.36);
    }

    [Fact]
    public void Calibration_lowers_the_ece_of_overconfident_scores_on_new_data()
    {
        var (fitRaw, fitTruth) = Sample(3000, a: 0.4, b: 0.0, seed: 2);
        var (testRaw, testTruth) = Sample(3000, a: 0.4, b: 0.0, seed: 3);
        var (slope, intercept) = PlattFit.Fit(fitRaw, fitTruth);
        var spec = new CalibrationSpec { Method = "platt", Slope = slope, Intercept = intercept };
        var before = CalibrationMetrics.Compute(testRaw, testTruth).Ece;
        var after = CalibrationMetrics.Compute(testRaw.Select(s => ScoreCalibration.Probability(spec, s)).ToArray(), testTruth).Ece;
        Assert.True(before > 0.1, $"ECE before {before}");
        Assert.True(after < 0.03, $"ECE after {after}");
    }

    [Fact]
    public void Perfectly_separated_cases_still_give_a_finite_increasing_map()
    {
        var (slope, intercept) = PlattFit.Fit([0.01, 0.02, 0.98, 0.99], [false, false, true, true]);
        Assert.True(double.IsFinite(slope) && slope > 0 && double.IsFinite(intercept), $"{slope} {intercept}");
    }

    [Fact]
    public void One_class_only_is_refused() => Assert.Throws<ArgumentException>(() => PlattFit.Fit([0.2, 0.7], [true, true]));

    [Fact]
    public void Operating_point_keeps_the_target_sensitivity()
    {
        double[] p = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05];
        bool[] y = [true, true, false, true, true, false, true, false, false, false];
        var op = OperatingPoint.ForSensitivity(p, y, 0.8);
        // Five positives: 4 of 5 must be called, so the threshold is the 4th highest positive (0.5).
        Assert.Equal(0.5, op.Threshold);
        Assert.Equal(0.8, op.Sensitivity, 12);
        Assert.Equal(0.8, op.Specificity, 12);   // 4 of 5 negatives below 0.5
        Assert.Equal(1.0, OperatingPoint.ForSensitivity(p, y, 1.0).Sensitivity);
        Assert.Throws<ArgumentOutOfRangeException>(() => OperatingPoint.ForSensitivity(p, y, 0));
    }

    [Fact]
    public void Cross_fitted_ece_scores_each_patient_half_with_the_other_halfs_fit()
    {
        var (raw, truth) = Sample(4000, a: 0.4, b: 0.0, seed: 6);
        var patients = Enumerable.Range(0, raw.Length).Select(i => $"p{i / 2}").ToArray();
        var outOfFold = CrossFit.OutOfFold(raw, truth, patients);
        Assert.InRange(outOfFold.Ece, 0, 0.04);
        Assert.True(CalibrationMetrics.Compute(raw, truth).Ece > 0.1);
        Assert.True(double.IsNaN(CrossFit.OutOfFold([0.2, 0.8], [false, true], ["a", "b"]).Ece));
    }
}
