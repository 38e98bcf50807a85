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
/// The adult package's recipe end to end on six adult films: C# exports tensors, the toolkit caches the frozen NuGet
/// trunk's output (feature_cache.py), fine-tunes the last residual block and the head one epoch and exports them with
/// float16 weights (finetune.py), and the package — the NuGet ResNet18 stopped at that block's input, then tail.onnx —
/// scores the films in C# as PyTorch did, to 1e-4.
/// </summary>
public sealed class FineTuneParityTests
{
    private const string Cut = "ReLU379_Output_0";

    [Fact]
    public void Fine_tuned_tail_after_the_nuget_trunk_scores_as_in_pytorch()
    {
        var work = Repository.TempFolder("finetune-parity");
        var rows = TorchParity.SixImages(Path.Combine(Repository.SharedData, "nih-cxr14-pneumonia-512"), work);
        var nuget = Path.Combine(ModelPackage.SharedGraphFolder, "ResNet18.onnx");
        var package = Path.Combine(work, "package");
        Directory.CreateDirectory(package);
        var manifest = TestPackages.Manifest() with
        {
            Name = "finetune-parity",
            Input = new InputSpec
            {
                Width = 224, Height = 224, Channels = [InputChannel.Image, InputChannel.LungMap, InputChannel.Zeros],
                Normalization = new NormalizationSpec { Scale = 255, Mean = [103.1, 115.9, 123.2], Std = [1, 1, 1] },
            },
            Graphs = [new GraphSpec { File = "ResNet18.onnx", Output = Cut }, new GraphSpec { File = "tail.onnx" }],
        };
        File.WriteAllText(Path.Combine(package, "model.json"), JsonSerializer.Serialize(manifest, ModelManifest.JsonOptions));
        var tensors = Path.Combine(work, "tensors");
        Assert.Equal((6, 0), TensorExport.Run(rows, manifest, tensors));

        var cache = Path.Combine(work, "cache");
        var reference = Path.Combine(work, "reference.json");
        var (code, output) = Repository.Python(TimeSpan.FromMinutes(3), "-m", "cxr_train.feature_cache", "--tensors", tensors,
            "--template", package, "--out", cache, "--copies", "1", "--onnx", nuget);
        Assert.True(code == 0, output);
        (code, output) = Repository.Python(TimeSpan.FromMinutes(3), "-m", "cxr_train.finetune", "--cache", cache,
            "--trainable", "1", "--epochs", "1", "--batch", "2", "--export", package, "--fp16", "--reference", reference,
            "--onnx", nuget);
        Assert.True(code == 0, output);
        Assert.InRange(new FileInfo(Path.Combine(package, "tail.onnx")).Length, 9_000_000, 10_500_000); // 4.7 M weights as float16
        manifest = manifest with
        {
            Graphs = [.. manifest.Graphs.Select(g => g with { Sha256 = PackageIntegrity.Sha256(ModelPackage.Locate(package, g.File)!) })],
        };
        File.WriteAllText(Path.Combine(package, "model.json"), JsonSerializer.Serialize(manifest, ModelManifest.JsonOptions));

        using var model = CxrModel.Load(package, new InferenceOptions(), NullLogger.Instance);
        TorchParity.AssertScoresMatch(model, rows, reference);
        Directory.Delete(work, recursive: true);
    }
}
