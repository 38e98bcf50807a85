using System.Text.Json;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Imaging.Segmentation;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Evaluation.Tests.Training;

/// <summary>
/// The lung U-Net end to end: C# exports lungseg-demo's images and masks, the toolkit trains the U-Net a few steps and
/// exports ONNX, and <see cref="OnnxLungSegmenter"/> in C# reproduces PyTorch's probabilities on the same images to 1e-4.
/// </summary>
public sealed class LungUNetParityTests
{
    [Fact]
    public void Toolkit_lung_unet_runs_in_csharp_as_in_pytorch()
    {
        const int size = 32;
        var work = Repository.TempFolder("lung-parity");
        var manifest = TestPackages.Manifest() with { Input = TestPackages.Manifest().Input with { Width = size, Height = size } };
        var pairs = LungMaskExport.ReadPairs(Path.Combine(Repository.SharedData, "lungseg-demo", "idx.csv"));
        var export = Path.Combine(work, "export");
        LungMaskExport.Run(pairs, manifest, export);

        var reference = Path.Combine(work, "reference.json");
        var (code, output) = Repository.Python(TimeSpan.FromMinutes(3), "-m", "cxr_train.lungseg", "--data", export,
            "--out", work, "--iterations", "3", "--reference", reference);
        Assert.True(code == 0, output);

        using var segmenter = OnnxLungSegmenter.Load(Path.Combine(work, "lungs.onnx"),
            new SessionFactory(new InferenceOptions(), NullLogger.Instance), "parity");
        using var json = JsonDocument.Parse(File.ReadAllText(reference));
        var torch = json.RootElement.GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(pairs.Count * size * size, torch.Length);
        var builder = new ModelInputBuilder(manifest);
        for (var i = 0; i < pairs.Count; i++)
        {
            var result = builder.Preprocess(RadiographLoader.Load(pairs[i].Image));
            var map = segmenter.Segment(new LungSegmentationInput(result.ModelImage, result.ModelImage, result.Geometry.Content));
            for (var k = 0; k < map.Pixels.Length; k++)
            {
                var expected = torch[(i * size * size) + k];
                Assert.True(Math.Abs(map.Pixels[k] - expected) <= 1e-4, $"image {i}, pixel {k}: ONNX Runtime {map.Pixels[k]} vs PyTorch {expected}");
            }
        }
        Directory.Delete(work, recursive: true);
    }
}
