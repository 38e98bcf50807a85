using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Imaging.Tests.TestSupport;

namespace CxrPacsAgent.Imaging.Tests.Preprocessing;

/// <summary>The whole pipeline: tensor layout, normalisation and determinism.</summary>
public sealed class CxrPreprocessorTests
{
    private static readonly string Sample = TestData.Path("adult-cxr-samples", "adult-cxr-03.png");

    [Fact]
    public void Same_input_gives_the_same_tensor_bit_for_bit()
    {
        var image = ImageFile.LoadGray(Sample);
        var a = new CxrPreprocessor().Run(image).Tensor.Data;
        var b = new CxrPreprocessor().Run(image.Clone()).Tensor.Data;
        Assert.Equal(a, b);
    }

    [Fact]
    public void Tensor_is_image_lung_map_zeros_with_the_resnet_bgr_means()
    {
        var result = new CxrPreprocessor().Run(ImageFile.LoadGray(Sample));
        var t = result.Tensor;
        Assert.Equal((3, 224, 224), (t.Channels, t.Height, t.Width));
        for (var i = 0; i < 224 * 224; i += 97)
        {
            Assert.Equal((result.ModelImage.Pixels[i] * 255f) - 103.1f, t.Channel(0)[i], 3);
            Assert.Equal((result.LungMap.Pixels[i] * 255f) - 115.9f, t.Channel(1)[i], 3);
            Assert.Equal(-123.2f, t.Channel(2)[i], 3);
        }
    }

    [Fact]
    public void Other_normalisations_are_expressible()
    {
        var options = new PreprocessOptions { InputSize = 256, Normalization = Normalization.ImageNetTorchvision };
        var result = new CxrPreprocessor(options, new Imaging.Segmentation.ClassicalLungSegmenter()).Run(ImageFile.LoadGray(Sample));
        Assert.Equal(256, result.Tensor.Width);
        Assert.Equal((result.ModelImage.Pixels[500] - 0.485f) / 0.229f, result.Tensor.Channel(0)[500], 4);
        Assert.Equal((0 - 0.406f) / 0.225f, result.Tensor.Channel(2)[0], 4);
    }

    [Fact]
    public void Invalid_normalisation_fails_before_any_pixel_is_touched()
    {
        var options = new PreprocessOptions { Normalization = new Normalization(255f, [1f, 2f], [1f, 1f]) };
        Assert.Throws<ArgumentException>(() => new CxrPreprocessor(options, new Imaging.Segmentation.ClassicalLungSegmenter()).Run(new GrayImage(4, 4)));
        Assert.Throws<ArgumentException>(() => new Normalization(255f, [0f, 0f, 0f], [1f, 0f, 1f]).Validate(3));
    }

    [Fact]
    public void Model_image_and_lung_map_are_in_unit_range_and_padding_is_black()
    {
        var result = new CxrPreprocessor().Run(ImageFile.LoadGray(TestData.Path("adult-cxr-samples", "adult-cxr-01.png")));
        Assert.All(result.ModelImage.Pixels, p => Assert.InRange(p, 0f, 1f));
        Assert.All(result.LungMap.Pixels, p => Assert.InRange(p, 0f, 1f));
        var content = result.Geometry.Content;
        Assert.True(content.Y > 0, "a wide film is padded above and below");
        Assert.Equal(0f, result.ModelImage[112, 0]);
        Assert.Equal(0f, result.LungMap[112, 0]);
    }
}
