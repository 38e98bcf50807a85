using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Inference.Tests.Packages;

/// <summary>Every way a package can be wrong is refused at load with its own error and a message that names the problem.</summary>
public sealed class ModelPackageValidationTests
{
    private static ModelPackageException Refused(string folder) =>
        Assert.Throws<ModelPackageException>(() =>
        {
            using var model = CxrModel.Load(folder, new InferenceOptions(), NullLogger.Instance);
        });

    [Fact]
    public void A_valid_package_loads()
    {
        using var model = CxrModel.Load(TestPackages.Create(), new InferenceOptions(), NullLogger.Instance);
        Assert.Equal(TestPackages.Embedding, model.EmbeddingSize);
        Assert.Equal("tiny-test 0.0.1", model.Package.DisplayName);
    }

    [Fact]
    public void Missing_folder()
    {
        var e = Refused(Path.Combine(Path.GetTempPath(), "no-such-package-" + Guid.NewGuid()));
        Assert.Equal(ModelPackageError.FolderMissing, e.Error);
    }

    [Fact]
    public void Missing_manifest()
    {
        var folder = TestPackages.Create();
        File.Delete(Path.Combine(folder, "model.json"));
        var e = Refused(folder);
        Assert.Equal(ModelPackageError.ManifestMissing, e.Error);
        Assert.Contains("model.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json()
    {
        var folder = TestPackages.Create();
        File.WriteAllText(Path.Combine(folder, "model.json"), "{ \"name\": ");
        Assert.Equal(ModelPackageError.ManifestInvalid, Refused(folder).Error);
    }

    [Fact]
    public void Unknown_channel_name_is_invalid_json()
    {
        var folder = TestPackages.Create();
        var path = Path.Combine(folder, "model.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"lung_map\"", "\"heat_map\"", StringComparison.Ordinal));
        Assert.Equal(ModelPackageError.ManifestInvalid, Refused(folder).Error);
    }

    [Fact]
    public void Missing_graph_file_is_named()
    {
        var folder = TestPackages.Create(TestPackages.Manifest("absent.onnx"));
        var e = Refused(folder);
        Assert.Equal(ModelPackageError.GraphFileMissing, e.Error);
        Assert.Contains("absent.onnx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_that_is_not_onnx()
    {
        var folder = TestPackages.Create(graphs: f => File.WriteAllText(Path.Combine(f, "model.onnx"), "not a model"));
        Assert.Equal(ModelPackageError.GraphUnreadable, Refused(folder).Error);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.5)]
    [InlineData(2.0)]
    public void Threshold_outside_unit_interval(double threshold)
    {
        var folder = TestPackages.Create(TestPackages.Manifest("model.onnx") with { Threshold = threshold });
        var e = Refused(folder);
        Assert.Equal(ModelPackageError.ThresholdOutOfRange, e.Error);
        Assert.Contains("threshold", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("version")]
    [InlineData("task")]
    [InlineData("positive_label")]
    public void Required_text_fields(string field)
    {
        var m = TestPackages.Manifest("model.onnx");
        m = field switch
        {
            "name" => m with { Name = "" },
            "version" => m with { Version = " " },
            "task" => m with { Task = "" },
            _ => m with { PositiveLabel = "" },
        };
        var e = Refused(TestPackages.Create(m));
        Assert.Equal(ModelPackageError.FieldMissing, e.Error);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_size_that_the_graph_does_not_take()
    {
        var m = TestPackages.Manifest("model.onnx") with { Input = TestPackages.Manifest().Input with { Width = 16, Height = 16 } };
        var e = Refused(TestPackages.Create(m));
        Assert.Equal(ModelPackageError.InputShapeMismatch, e.Error);
        Assert.Contains("[N,3,16,16]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_channel_layout()
    {
        var m = TestPackages.Manifest("model.onnx") with
        {
            Input = TestPackages.Manifest().Input with { Channels = [InputChannel.Image, InputChannel.LungMap] },
        };
        Assert.Equal(ModelPackageError.ChannelLayoutInvalid, Refused(TestPackages.Create(m)).Error);
    }

    [Fact]
    public void Zero_standard_deviation()
    {
        var m = TestPackages.Manifest("model.onnx") with
        {
            Input = TestPackages.Manifest().Input with { Normalization = new NormalizationSpec { Std = [1, 0, 1] } },
        };
        Assert.Equal(ModelPackageError.NormalizationInvalid, Refused(TestPackages.Create(m)).Error);
    }

    [Theory]
    [InlineData("prob", "embedding", "score")]
    [InlineData("score", "features", "embedding")]
    public void Output_names_absent_from_the_graph(string scoreName, string embeddingName, string missing)
    {
        var folder = TestPackages.Create(graphs: f => TestPackages.Full(score: scoreName, embedding: embeddingName).Save(Path.Combine(f, "model.onnx")));
        var e = Refused(folder);
        Assert.Equal(ModelPackageError.OutputMissing, e.Error);
        Assert.Contains($"'{missing}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chain_whose_shapes_do_not_meet()
    {
        var folder = TestPackages.Create(TestPackages.Manifest("backbone.onnx", "head.onnx"), f =>
        {
            TestPackages.Backbone(outFeatures: 100).Save(Path.Combine(f, "backbone.onnx"));
            TestPackages.HeadOnly().Save(Path.Combine(f, "head.onnx"));
        });
        var e = Refused(folder);
        Assert.Equal(ModelPackageError.ChainShapeMismatch, e.Error);
        Assert.Contains("100", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_found_beside_the_binaries_when_the_package_does_not_carry_it()
    {
        // The shipped package names the NuGet ResNet18 it does not contain: it resolves to the copy in backbones/.
        var package = ModelPackage.Load(DefaultModel.Folder);
        Assert.StartsWith(ModelPackage.SharedGraphFolder, package.GraphPaths[0], StringComparison.Ordinal);
        Assert.True(File.Exists(package.GraphPaths[0]));
    }

    [Fact]
    public void Graph_with_two_inputs()
    {
        var folder = TestPackages.Create(graphs: f => TestPackages.Full().Input("extra", 0, 1).Save(Path.Combine(f, "model.onnx")));
        Assert.Equal(ModelPackageError.InputShapeMismatch, Refused(folder).Error);
    }
}
