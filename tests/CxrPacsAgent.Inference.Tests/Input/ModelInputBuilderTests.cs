using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Tests.Support;

namespace CxrPacsAgent.Inference.Tests.Input;

public sealed class ModelInputBuilderTests
{
    private static PreprocessResult Result(GrayImage image, GrayImage lung) =>
        new(image, image, image, image, image, lung, null!, null!);

    [Fact]
    public void Channels_follow_the_manifest_order_and_normalisation()
    {
        var manifest = TestPackages.Manifest("model.onnx") with
        {
            Input = new InputSpec
            {
                Width = 2, Height = 2, Channels = [InputChannel.LungMap, InputChannel.Image, InputChannel.Zeros],
                Normalization = new NormalizationSpec { Scale = 255, Mean = [10, 20, 30], Std = [1, 2, 3] },
            },
        };
        var builder = new ModelInputBuilder(manifest);
        var image = new GrayImage(2, 2, [0f, 1f, 0.5f, 0.2f]);
        var lung = new GrayImage(2, 2, [1f, 0f, 0f, 1f]);
        var t = builder.Build(Result(image, lung));
        Assert.Equal([245f, -10f, -10f, 245f], t[..4]);                       // lung map: (v·255 − 10) / 1
        Assert.Equal([-10f, 117.5f, 53.75f, 15.5f], t[4..8]);                 // image: (v·255 − 20) / 2
        Assert.Equal([-10f, -10f, -10f, -10f], t[8..]);                       // zeros: (0 − 30) / 3
    }

    [Fact]
    public void Lung_mask_covers_the_map_and_its_mirror()
    {
        // One lung found on the left (x = 0); its mirror (x = 3) is masked too, the middle stays.
        var image = new GrayImage(4, 1, [0.9f, 0.8f, 0.7f, 0.6f]);
        var lung = new GrayImage(4, 1, [1f, 0f, 0f, 0f]);
        Assert.Equal([0f, 0.8f, 0.7f, 0f], ModelInputBuilder.MaskLungs(image, lung));
    }
}
