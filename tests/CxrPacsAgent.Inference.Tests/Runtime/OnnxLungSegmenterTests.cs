using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Segmentation;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Inference.Tests.Runtime;

/// <summary>A package may carry a lung U-Net; it replaces the classical segmenter and is validated at load.</summary>
public sealed class OnnxLungSegmenterTests
{
    private static string WithSegmenter(OnnxGraphBuilder unet) =>
        TestPackages.Create(TestPackages.Manifest("model.onnx") with { LungSegmenter = new GraphSpec { File = "unet.onnx" } }, f =>
        {
            TestPackages.Full().Save(Path.Combine(f, "model.onnx"));
            unet.Save(Path.Combine(f, "unet.onnx"));
        });

    [Fact]
    public void Package_segmenter_maps_the_preprocessed_image_to_probabilities()
    {
        // A stand-in "U-Net": sigmoid(8·(x − 0.5)), so dark pixels are "not lung" and bright ones "lung".
        var unet = new OnnxGraphBuilder().Input("x", 0, 1, 4, 4)
            .Initializer("half", [0.5f]).Initializer("gain", [8f])
            .Node("Sub", ["x", "half"], ["c"]).Node("Mul", ["c", "gain"], ["z"]).Node("Sigmoid", ["z"], ["p"])
            .Output("p", 0, 1, 4, 4);
        using var model = CxrModel.Load(WithSegmenter(unet), new InferenceOptions(), NullLogger.Instance);
        Assert.NotNull(model.LungSegmenter);
        var image = new GrayImage(8, 8, [.. Enumerable.Range(0, 64).Select(i => i % 8 < 4 ? 0f : 1f)]);
        var map = model.LungSegmenter!.Segment(new LungSegmentationInput(image, image, new PixelRect(0, 0, 8, 8)));
        Assert.Equal(8, map.Width);
        Assert.True(map[0, 0] < 0.05f && map[7, 7] > 0.95f, $"{map[0, 0]} {map[7, 7]}");
        Assert.All(map.Pixels, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void Segmenter_with_the_wrong_shape_is_refused()
    {
        var wrong = new OnnxGraphBuilder().Input("x", 0, 3, 4, 4).Node("Sigmoid", ["x"], ["p"]).Output("p", 0, 3, 4, 4);
        var e = Assert.Throws<ModelPackageException>(() =>
        {
            using var m = CxrModel.Load(WithSegmenter(wrong), new InferenceOptions(), NullLogger.Instance);
        });
        Assert.Equal(ModelPackageError.SegmenterInvalid, e.Error);
        Assert.Contains("unet.onnx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_segmenter_file_is_named()
    {
        var folder = TestPackages.Create(TestPackages.Manifest("model.onnx") with { LungSegmenter = new GraphSpec { File = "unet.onnx" } });
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(folder));
        Assert.Equal(ModelPackageError.GraphFileMissing, e.Error);
        Assert.Contains("unet.onnx", e.Message, StringComparison.Ordinal);
    }
}
