using CxrPacsAgent.Evaluation.Metrics;

namespace CxrPacsAgent.Evaluation.Tests.Metrics;

/// <summary>Average precision against hand computation: AP = Σ (Rₖ − Rₖ₋₁)·Pₖ over distinct thresholds.</summary>
public sealed class PrecisionRecallCurveTests
{
    [Fact]
    public void Hand_computed()
    {
        // Ranked: P(0.9) N(0.8) P(0.7) N(0.6) P(0.5). Recall steps at ranks 1, 3, 5 with precision 1, 2/3, 3/5.
        // AP = (1/3)(1) + (1/3)(2/3) + (1/3)(3/5) = 0.7555…
        var ap = PrecisionRecallCurve.AveragePrecision([0.9, 0.8, 0.7, 0.6, 0.5], [true, false, true, false, true]);
        Assert.Equal((1 + (2.0 / 3) + 0.6) / 3, ap, 12);
    }

    [Fact]
    public void Tied_block_uses_the_precision_of_the_whole_block()
    {
        // 0.8: P,N tied → recall 1/2, precision 1/2; 0.3: P → recall 1, precision 2/3. AP = ½·½ + ½·⅔ = 7/12.
        var ap = PrecisionRecallCurve.AveragePrecision([0.8, 0.8, 0.3], [true, false, true]);
        Assert.Equal(7.0 / 12, ap, 12);
    }

    [Fact]
    public void Perfect_ranking_is_one()
    {
        Assert.Equal(1.0, PrecisionRecallCurve.AveragePrecision([0.9, 0.8, 0.1], [true, true, false]), 12);
    }

    [Fact]
    public void No_positives_is_undefined()
    {
        Assert.True(double.IsNaN(PrecisionRecallCurve.AveragePrecision([0.9, 0.1], [false, false])));
    }
}
