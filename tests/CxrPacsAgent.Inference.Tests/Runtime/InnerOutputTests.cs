using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Inference.Tests.Runtime;

/// <summary>
/// A graph entry's <c>output</c> stops a graph at an inner tensor and hands that on: how a package ships a fine-tuned
/// last block after the frozen NuGet ResNet18 it does not carry.
/// </summary>
public sealed class InnerOutputTests
{
    /// <summary>[1,3,8,8] → flatten → "inner" (the features) → ×(−1) → "features" (the graph's only declared output).</summary>
    private static OnnxGraphBuilder TwoStage() => new OnnxGraphBuilder()
        .Input("image", 1, 3, TestPackages.Size, TestPackages.Size)
        .Node("Flatten", ["image"], ["inner"], ("axis", 1))
        .Node("Neg", ["inner"], ["features"])
        .Output("features", 1, TestPackages.Features);

    private static string Package(string? output) =>
        TestPackages.Create(TestPackages.Manifest("trunk.onnx", "head.onnx") with
        {
            Graphs = [new GraphSpec { File = "trunk.onnx", Output = output }, new GraphSpec { File = "head.onnx" }],
        }, f =>
        {
            TwoStage().Save(Path.Combine(f, "trunk.onnx"));
            TestPackages.HeadOnly().Save(Path.Combine(f, "head.onnx"));
        });

    [Fact]
    public void Chain_hands_on_the_named_inner_tensor()
    {
        using var model = CxrModel.Load(Package("inner"), new InferenceOptions(), NullLogger.Instance);
        var input = TestPackages.RandomInput(3, seed: 4);
        var scores = model.Run(input, 3).Scores;
        for (var i = 0; i < 3; i++)
        {
            var (expected, _) = TestPackages.Expected(input.AsSpan(i * TestPackages.Features, TestPackages.Features));
            Assert.Equal(expected, scores[i], 5);
        }
        Assert.Equal(input, model.RunFeatures(input, 3).ToArray());
    }

    [Fact]
    public void Without_output_the_first_output_is_handed_on()
    {
        using var model = CxrModel.Load(Package(null), new InferenceOptions(), NullLogger.Instance);
        var input = TestPackages.RandomInput(2, seed: 5);
        Assert.Equal(input.Select(v => -v), model.RunFeatures(input, 2).ToArray());
    }

    [Fact]
    public void The_graph_file_is_not_changed()
    {
        var folder = Package("inner");
        var before = File.ReadAllBytes(Path.Combine(folder, "trunk.onnx"));
        using (CxrModel.Load(folder, new InferenceOptions(), NullLogger.Instance))
        {
        }
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(folder, "trunk.onnx")));
    }

    [Fact]
    public void A_tensor_the_graph_does_not_have_is_refused_by_name()
    {
        var e = Assert.Throws<ModelPackageException>(() =>
        {
            using var model = CxrModel.Load(Package("no_such_tensor"), new InferenceOptions(), NullLogger.Instance);
        });
        Assert.Equal(ModelPackageError.GraphUnreadable, e.Error);
        Assert.Contains("trunk.onnx", e.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_tensor", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, " ")]
    [InlineData(1, "inner")]
    public void Blank_output_or_one_on_the_last_graph_is_refused(int graph, string output)
    {
        var manifest = TestPackages.Manifest("trunk.onnx", "head.onnx");
        var graphs = manifest.Graphs.ToArray();
        graphs[graph] = graphs[graph] with { Output = output };
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(TestPackages.Create(manifest with { Graphs = graphs }, f =>
        {
            TwoStage().Save(Path.Combine(f, "trunk.onnx"));
            TestPackages.HeadOnly().Save(Path.Combine(f, "head.onnx"));
        })));
        Assert.Equal(ModelPackageError.FieldMissing, e.Error);
        Assert.Contains("'output'", e.Message, StringComparison.Ordinal);
    }
}
