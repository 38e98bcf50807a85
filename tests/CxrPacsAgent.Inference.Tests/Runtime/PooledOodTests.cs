using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Inference.Tests.Runtime;

/// <summary>
/// <c>pooled</c> OOD features: the last graph's input feature map averaged per channel (C×H×W → C), as the adult
/// package measures it after the NuGet trunk's inner 512×7×7 tensor.
/// </summary>
public sealed class PooledOodTests
{
    /// <summary>Unit rows of the stored "training" pooled features, k = 1: distance = 1 − the largest cosine similarity.</summary>
    private static readonly float[][] Training = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];

    [Fact]
    public void Pooled_distance_is_measured_on_the_channel_means_of_the_last_graphs_input()
    {
        var input = TestPackages.RandomInput(4, seed: 21);
        var positions = TestPackages.Size * TestPackages.Size;
        var expected = new double[4];
        for (var i = 0; i < 4; i++)
        {
            var means = Enumerable.Range(0, 3)
                .Select(c => input.AsSpan((i * TestPackages.Features) + (c * positions), positions).ToArray().Average(v => (double)v)).ToArray();
            var norm = Math.Sqrt(means.Sum(v => v * v));
            expected[i] = 1 - (means.Max() / norm);
        }
        using var model = CxrModel.Load(Package(OodFeatures.Pooled, graphs: 2), new InferenceOptions(), NullLogger.Instance);
        Assert.Equal(3, model.FeatureChannels);
        Assert.Equal(3, model.OodDimension(OodFeatures.Pooled));
        Assert.Equal(TestPackages.Features, model.OodDimension(OodFeatures.Backbone));
        var predictions = model.Predict(input, 4);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], predictions[i].Ood!.Distance, 5);
        }
    }

    [Fact]
    public void Pooled_features_on_a_single_graph_are_refused_naming_the_field()
    {
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(Package(OodFeatures.Pooled, graphs: 1)));
        Assert.Equal(ModelPackageError.OodInvalid, e.Error);
        Assert.Contains("ood.features", e.Message, StringComparison.Ordinal);
    }

    /// <summary>An identity trunk that hands on the [1,3,8,8] map, then the tiny classifier; or the classifier alone.</summary>
    private static string Package(OodFeatures features, int graphs)
    {
        var files = graphs == 2 ? new[] { "trunk.onnx", "head.onnx" } : ["head.onnx"];
        var manifest = TestPackages.Manifest(files) with
        {
            Ood = new OodSpec { Method = "knn", K = 1, Features = features, File = "ood.npy", Threshold = 0.5 },
        };
        return TestPackages.Create(manifest, f =>
        {
            new OnnxGraphBuilder().Input("image", 1, 3, TestPackages.Size, TestPackages.Size)
                .Node("Identity", ["image"], ["map"]).Output("map", 1, 3, TestPackages.Size, TestPackages.Size)
                .Save(Path.Combine(f, "trunk.onnx"));
            TestPackages.Full().Save(Path.Combine(f, "head.onnx"));
            TestPackages.WriteNpy(Path.Combine(f, "ood.npy"), [.. Training.SelectMany(t => t)], 3, 3);
        });
    }
}
