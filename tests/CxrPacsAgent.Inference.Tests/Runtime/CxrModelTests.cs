using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Inference.Tests.Runtime;

/// <summary>The runtime computes what the graph says, for one graph and for a chain with a fixed-batch first graph.</summary>
public sealed class CxrModelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Single_graph_matches_the_reference_computation(int batch)
    {
        using var model = CxrModel.Load(TestPackages.Create(), new InferenceOptions(), NullLogger.Instance);
        var input = TestPackages.RandomInput(batch, seed: batch);
        var predictions = model.Predict(input, batch);
        for (var i = 0; i < batch; i++)
        {
            var (score, embedding) = TestPackages.Expected(input.AsSpan(i * TestPackages.Features, TestPackages.Features));
            Assert.Equal(score, predictions[i].Score, 5);
            Assert.Equal(embedding, predictions[i].Embedding, (a, b) => Math.Abs(a - b) < 1e-5);
            Assert.Equal(score >= 0.5, predictions[i].Positive);
            Assert.Equal(score >= 0.5 ? "PNEUMONIA" : "NORMAL", predictions[i].Label);
        }
    }

    [Fact]
    public void Chain_with_fixed_batch_backbone_runs_sample_by_sample_and_agrees()
    {
        var chain = TestPackages.Create(TestPackages.Manifest("backbone.onnx", "head.onnx"), f =>
        {
            TestPackages.Backbone().Save(Path.Combine(f, "backbone.onnx"));
            TestPackages.HeadOnly().Save(Path.Combine(f, "head.onnx"));
        });
        using var chained = CxrModel.Load(chain, new InferenceOptions(), NullLogger.Instance);
        using var single = CxrModel.Load(TestPackages.Create(), new InferenceOptions(), NullLogger.Instance);
        var input = TestPackages.RandomInput(4, seed: 9);
        var a = chained.Run(input, 4);
        var b = single.Run(input, 4);
        Assert.Equal(b.Scores, a.Scores, (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal(TestPackages.Features, chained.FeatureSize);
        Assert.Equal(input, chained.RunFeatures(input, 4).ToArray());
    }

    [Fact]
    public void Embedding_norm_is_euclidean()
    {
        var p = new Prediction(0.5f, true, "P", [3f, 4f]);
        Assert.Equal(5.0, p.EmbeddingNorm, 12);
    }
}
