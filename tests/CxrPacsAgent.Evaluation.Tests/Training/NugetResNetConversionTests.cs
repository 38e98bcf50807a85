using System.Globalization;
using System.Text.RegularExpressions;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Evaluation.Tests.Training;

/// <summary>
/// The toolkit's PyTorch copy of the NuGet ImageNet ResNet18 (training/cxr_train/cntk_resnet.py) computes the same
/// features as ONNX Runtime runs from the original file, on tensors of the C# preprocessing.
/// </summary>
public sealed partial class NugetResNetConversionTests
{
    [Fact]
    public void Converted_backbone_matches_onnx_runtime()
    {
        var work = Repository.TempFolder("nuget-resnet");
        var all = LabelsCsv.Read(Path.Combine(Repository.Kermany, "labels.csv"));
        var rows = new[] { all.First(r => r.Label == "NORMAL"), all.First(r => r.Label == "PNEUMONIA") };
        using var model = CxrModel.Load(ShippedModels.Folder(ShippedModels.Pediatric), new InferenceOptions(), NullLogger.Instance);
        var tensors = Path.Combine(work, "tensors");
        Assert.Equal((2, 0), TensorExport.Run(rows, model.Manifest, tensors));
        var builder = new ModelInputBuilder(model.Manifest);
        var features = rows.SelectMany(r => model.RunFeatures(builder.Build(RadiographLoader.Load(r.Path)).Data, 1).ToArray()).ToArray();
        var featureFile = Path.Combine(work, "features.npy");
        NpyWriter.Write(featureFile, features, rows.Length, model.FeatureSize);

        var (code, output) = Repository.Python(TimeSpan.FromMinutes(2), "-m", "cxr_train.check_conversion",
            "--tensors", tensors, "--features", featureFile, "--onnx", model.Package.GraphPaths[0]);
        Assert.True(code == 0, output);
        var diff = double.Parse(MaxDiff().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(diff < 1e-3, output);
        Directory.Delete(work, recursive: true);
    }

    [GeneratedRegex(@"max_abs_diff=([0-9.eE+-]+)")]
    private static partial Regex MaxDiff();
}
