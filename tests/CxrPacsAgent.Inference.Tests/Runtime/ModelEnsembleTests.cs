using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Inference.Tests.Runtime;

public sealed class ModelEnsembleTests
{
    private static Prediction P(float score, double threshold = 0.5) => new(score, score >= threshold, "", []);

    [Fact]
    public void Majority_vote_and_mean_score()
    {
        // Votes 2 of 3 positive; mean 0.5 would round either way — the vote decides.
        var e = ModelEnsemble.Combine([P(0.6f), P(0.55f), P(0.35f)], "PNEUMONIA", "NORMAL", 0.5);
        Assert.True(e.Positive);
        Assert.Equal(2, e.PositiveVotes);
        Assert.Equal(0.5f, e.MeanScore, 6);
        Assert.Equal("PNEUMONIA", e.Label);
    }

    [Fact]
    public void Majority_can_disagree_with_the_mean()
    {
        var e = ModelEnsemble.Combine([P(0.51f), P(0.52f), P(0.01f)], "PNEUMONIA", "NORMAL", 0.5);
        Assert.True(e.Positive);
        Assert.True(e.MeanScore < 0.5);
    }

    [Fact]
    public void Tied_vote_goes_to_the_mean_score()
    {
        Assert.True(ModelEnsemble.Combine([P(0.9f), P(0.2f)], "P", "N", 0.5).Positive);
        Assert.False(ModelEnsemble.Combine([P(0.6f), P(0.1f)], "P", "N", 0.5).Positive);
    }

    [Fact]
    public void Ensemble_of_real_packages()
    {
        using var ensemble = new ModelEnsemble([
            CxrModel.Load(TestPackages.Create(), new InferenceOptions(), NullLogger.Instance),
            CxrModel.Load(TestPackages.Create(), new InferenceOptions(), NullLogger.Instance),
            CxrModel.Load(TestPackages.Create(), new InferenceOptions(), NullLogger.Instance)]);
        var input = TestPackages.RandomInput(2, seed: 5);
        var result = ensemble.Predict(input, 2);
        var (score, _) = TestPackages.Expected(input.AsSpan(0, TestPackages.Features));
        Assert.Equal(score, result[0].MeanScore, 5);
        Assert.Equal(3, result[0].Members.Count);
    }

    [Fact]
    public void Members_with_different_inputs_are_refused()
    {
        var other = TestPackages.Manifest("model.onnx") with
        {
            Input = TestPackages.Manifest().Input with { Normalization = new NormalizationSpec { Scale = 255 } },
        };
        var a = CxrModel.Load(TestPackages.Create(), new InferenceOptions(), NullLogger.Instance);
        var b = CxrModel.Load(TestPackages.Create(other), new InferenceOptions(), NullLogger.Instance);
        var e = Assert.Throws<ModelPackageException>(() => new ModelEnsemble([a, b]));
        Assert.Equal(ModelPackageError.EnsembleMismatch, e.Error);
        a.Dispose();
        b.Dispose();
    }
}
