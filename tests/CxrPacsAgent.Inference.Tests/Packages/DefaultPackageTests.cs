using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Inference.Tests.Packages;

/// <summary>The shipped package loads (backbone from NuGet, head from models/) and says what it is.</summary>
public sealed class DefaultPackageTests
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
}
