using CxrPacsAgent.Evaluation.Metrics;

namespace CxrPacsAgent.Evaluation.Tests.Metrics;

public sealed class ConfusionMatrixTests
{
    [Fact]
    public void Counts_and_rates_at_the_threshold()
    {
        // Score ≥ 0.5 is positive. Truth P,P,P,N,N,N,N; scores 0.9, 0.5, 0.2, 0.7, 0.4, 0.1, 0.49.
        var cm = ConfusionMatrix.At([0.9, 0.5, 0.2, 0.7, 0.4, 0.1, 0.49], [true, true, true, false, false, false, false], 0.5);
        Assert.Equal(new ConfusionMatrix(2, 1, 3, 1), cm);
        Assert.Equal(5.0 / 7, cm.Accuracy, 12);
        Assert.Equal(2.0 / 3, cm.Sensitivity, 12);
        Assert.Equal(3.0 / 4, cm.Specificity, 12);
        Assert.Equal(2.0 / 3, cm.Precision, 12);
    }

    [Fact]
    public void Undefined_rates_are_nan_not_zero()
    {
        var cm = ConfusionMatrix.At([0.1, 0.2], [false, false], 0.5);
        Assert.True(double.IsNaN(cm.Sensitivity));
        Assert.Equal(1.0, cm.Specificity);
    }
}
