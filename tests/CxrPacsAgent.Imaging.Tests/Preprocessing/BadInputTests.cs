using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Imaging.Sources;

namespace CxrPacsAgent.Imaging.Tests.Preprocessing;

/// <summary>Bad pixels give a typed <see cref="ImageException"/> or a defined result, never a crash.</summary>
public sealed class BadInputTests
{
    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(-1, 5)]
    public void Zero_size_is_a_typed_error(int w, int h) =>
        Assert.Equal(ImageError.EmptyImage, Assert.Throws<ImageException>(() => new GrayImage(w, h)).Error);

    [Fact]
    public void All_black_is_a_blank_image()
    {
        var e = Assert.Throws<ImageException>(() => new CxrPreprocessor().Run(new GrayImage(300, 300)));
        Assert.Equal(ImageError.BlankImage, e.Error);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_pixels_are_a_typed_error(float bad)
    {
        var image = Gradient(64, 64);
        image[10, 10] = bad;
        var e = Assert.Throws<ImageException>(() => new CxrPreprocessor().Run(image));
        Assert.Equal(ImageError.NonFinitePixels, e.Error);
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(1, 500)]
    [InlineData(500, 1)]
    public void Tiny_or_degenerate_images_give_a_full_size_tensor(int w, int h)
    {
        var result = new CxrPreprocessor().Run(Gradient(w, h));
        Assert.Equal(3 * 224 * 224, result.Tensor.Data.Length);
        Assert.All(result.Tensor.Data, v => Assert.True(float.IsFinite(v)));
        Assert.All(result.LungMap.Pixels, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void Out_of_range_brightness_is_clamped_not_an_error()
    {
        var image = Gradient(50, 50);
        image[0, 0] = -3;
        image[1, 0] = 7;
        var result = new CxrPreprocessor().Run(image);
        Assert.All(result.ModelImage.Pixels, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void A_corrupt_picture_is_unreadable()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]);
            Assert.Equal(ImageError.Unreadable, Assert.Throws<ImageException>(() => Radiograph.Load(path)).Error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static GrayImage Gradient(int w, int h)
    {
        var image = new GrayImage(w, h);
        for (var i = 0; i < image.Pixels.Length; i++)
        {
            image.Pixels[i] = (float)i / image.Pixels.Length;
        }
        return image;
    }
}
