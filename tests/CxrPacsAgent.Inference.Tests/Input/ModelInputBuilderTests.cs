using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Tests.TestSupport;

namespace CxrPacsAgent.Inference.Tests.Input;

public sealed class ModelInputBuilderTests
{
    private static readonly ModelManifest Swapped = TestPackages.Manifest("model.onnx") with
    {
        Input = new InputSpec
        {
            Width = 16, Height = 16, Channels = [InputChannel.LungMap, InputChannel.Image, InputChannel.Zeros],
            Normalization = new NormalizationSpec { Scale = 255, Mean = [10, 20, 30], Std = [1, 2, 3] },
        },
    };

    /// <summary>A 40×48 film-like picture: a bright band down the middle between two darker fields, with texture.</summary>
    private static GrayImage Film()
    {
        var image = new GrayImage(40, 48);
        for (var y = 0; y < 48; y++)
        {
            for (var x = 0; x < 40; x++)
            {
                image[x, y] = (Math.Abs(x - 20) < 5 ? 0.8f : 0.3f) + (0.1f * MathF.Sin((x * 0.7f) + (y * 1.3f)));
            }
        }
        return image;
    }

    [Fact]
    public void The_preprocessor_builds_the_one_tensor_in_the_manifest_order_and_normalisation()
    {
        var builder = new ModelInputBuilder(Swapped);
        var result = builder.Preprocess(Film());
        var t = result.Tensor;
        Assert.Same(t, builder.Build(result));                                 // one tensor: the model gets it as built
        var plane = 16 * 16;
        for (var i = 0; i < plane; i++)
        {
            Assert.Equal(((result.LungMap.Pixels[i] * 255f) - 10f) / 1f, t.Data[i], 4);             // lung map first
            Assert.Equal(((result.ModelImage.Pixels[i] * 255f) - 20f) / 2f, t.Data[plane + i], 4);  // then the image
            Assert.Equal(-10f, t.Data[(2 * plane) + i]);                                             // zeros: (0 − 30) / 3
        }
    }

    [Fact]
    public void The_lung_masked_audit_input_is_a_second_tensor_black_inside_the_lungs()
    {
        var builder = new ModelInputBuilder(Swapped);
        var result = builder.Preprocess(Film());
        var masked = builder.Build(result, lungMask: true);
        Assert.NotSame(result.Tensor, masked);
        var plane = 16 * 16;
        var inside = ModelInputBuilder.MaskLungs(result.ModelImage, result.LungMap);
        for (var i = 0; i < plane; i++)
        {
            Assert.Equal(((inside.Pixels[i] * 255f) - 20f) / 2f, masked.Data[plane + i], 4);
            Assert.Equal(result.Tensor.Data[i], masked.Data[i]);                                     // lung map unchanged
        }
    }

    [Fact]
    public void Lung_mask_covers_the_map_and_its_mirror()
    {
        // One lung found on the left (x = 0); its mirror (x = 3) is masked too, the middle stays.
        var image = new GrayImage(4, 1, [0.9f, 0.8f, 0.7f, 0.6f]);
        var lung = new GrayImage(4, 1, [1f, 0f, 0f, 0f]);
        Assert.Equal([0f, 0.8f, 0.7f, 0f], ModelInputBuilder.MaskLungs(image, lung).Pixels);
    }
}
