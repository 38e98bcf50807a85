using System.Text.Json;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Evaluation.Tests.TestSupport;
using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Evaluation.Tests.Training;

/// <summary>
/// End to end through the toolkit: C# preprocessing exports tensors of six real radiographs, the Python toolkit trains a
/// ResNet18 + head on them for one epoch (with the paper's augmentations) and exports a package, and ONNX Runtime in C#
/// reproduces PyTorch's scores on the same tensors to 1e-4. Needs python3-torch (installed by .ci/run).
/// </summary>
public sealed class TorchParityTests
{
    [Fact]
    public void Toolkit_package_scores_match_pytorch()
    {
        var work = Repository.TempFolder("parity");
        var rows = TorchParity.SixImages(Repository.Kermany, work);
        var template = Path.Combine(work, "template");
        var manifest = TestPackages.Manifest() with
        {
            Name = "parity-template",
            Input = new InputSpec
            {
                Width = 32, Height = 32, Channels = [InputChannel.Image, InputChannel.LungMap, InputChannel.Zeros],
                Normalization = new NormalizationSpec { Scale = 255, Mean = [103.1, 115.9, 123.2], Std = [1, 1, 1] },
            },
        };
        Directory.CreateDirectory(template);
        File.WriteAllText(Path.Combine(template, "model.json"), JsonSerializer.Serialize(manifest, ModelManifest.JsonOptions));
        var tensors = Path.Combine(work, "tensors");
        Assert.Equal((6, 0), TensorExport.Run(rows, manifest, tensors));

        var package = Path.Combine(work, "package");
        var reference = Path.Combine(work, "reference.json");
        var (code, output) = Repository.Python(TimeSpan.FromMinutes(3), "-m", "cxr_train.train", "--tensors", tensors,
            "--template", template, "--out", package, "--backbone", "resnet18", "--epochs", "1", "--batch", "4",
            "--name", "parity-test", "--task", "parity test only", "--reference", reference);
        Assert.True(code == 0, output);

        using var model = CxrModel.Load(package, new InferenceOptions(), NullLogger.Instance);
        Assert.Equal(32, model.Manifest.Input.Width);
        Assert.NotNull(model.Manifest.Augmentation);
        TorchParity.AssertScoresMatch(model, rows, reference);
        Directory.Delete(work, recursive: true);
    }
}
