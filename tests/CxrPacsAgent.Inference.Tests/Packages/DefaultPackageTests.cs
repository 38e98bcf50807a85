using CxrPacsAgent.Imaging;
using CxrPacsAgent.Inference.Data;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace CxrPacsAgent.Inference.Tests.Packages;

/// <summary>The shipped package loads (backbone from NuGet, head and lung U-Net from models/) and says what it is.</summary>
public sealed class DefaultPackageTests(ITestOutputHelper output)
{
    [Fact]
    public void Shipped_package_loads_and_is_labelled_as_the_pediatric_pneumonia_proxy()
    {
        using var model = CxrModel.Load(DefaultModel.Folder, new InferenceOptions(), NullLogger.Instance);
        var m = model.Manifest;
        Assert.Equal(DefaultModel.Name, m.Name);
        Assert.Contains("pneumonia", m.Task, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not a COVID-19 model", m.Task, StringComparison.Ordinal);
        Assert.Equal(["ResNet18.onnx", "head.onnx"], m.Graphs.Select(g => g.File));
        Assert.Equal(512, model.FeatureSize);
        var output = model.Run(new float[model.InputPerSample * 2], 2);
        Assert.Equal(2, output.Scores.Length);
        Assert.All(output.Scores, s => Assert.InRange(s, 0f, 1f));
    }

    /// <summary>
    /// The shipped U-Net through the service's own path (C# preprocessing, ONNX Runtime) on lungseg-demo. It was trained
    /// on these four images, so this is a regression check of the chain, not a generalisation figure: that is the
    /// leave-one-out Dice recorded in model.json (docs/preprocessing.md).
    /// </summary>
    [Fact]
    public void Shipped_lung_unet_reproduces_the_lungseg_demo_masks()
    {
        using var model = CxrModel.Load(DefaultModel.Folder, new InferenceOptions(), NullLogger.Instance);
        Assert.NotNull(model.LungSegmenter);
        var builder = new ModelInputBuilder(model.Manifest, model.LungSegmenter);
        foreach (var pair in LungMaskExport.ReadPairs(Path.Combine(Repository.SharedData, "lungseg-demo", "idx.csv")))
        {
            var result = builder.Preprocess(RadiographLoader.Load(pair.Image));
            var reference = result.Geometry.Apply(RadiographLoader.Load(pair.Mask));
            var dice = LungDice.Of(result.LungMap, reference, reference.Pixels.Max() / 2);
            output.WriteLine($"{Path.GetFileName(pair.Image)}: Dice {dice:0.000}");
            Assert.True(dice >= 0.95, $"{Path.GetFileName(pair.Image)}: Dice {dice:0.000}");
        }
    }
}
