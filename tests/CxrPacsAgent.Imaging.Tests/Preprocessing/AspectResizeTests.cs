using CxrPacsAgent.Imaging.Preprocessing;

namespace CxrPacsAgent.Imaging.Tests.Preprocessing;

/// <summary>Bilinear resize and aspect-preserving padding against hand-computed cases.</summary>
public sealed class AspectResizeTests
{
    [Fact]
    public void Bilinear_upscale_uses_half_pixel_centres()
    {
        // src = (i + ½)·2/4 − ½ = −0.25, 0.25, 0.75, 1.25 → clamped 0, 0.25, 0.75, 1.
        var result = AspectResize.Bilinear(new GrayImage(2, 1, [0f, 1f]), 4, 1);
        Assert.Equal([0f, 0.25f, 0.75f, 1f], result.Pixels);
    }

    [Fact]
    public void Bilinear_halving_averages_pixel_pairs()
    {
        // src = (i + ½)·2 − ½ = 0.5, 2.5: the mean of each pair.
        var result = AspectResize.Bilinear(new GrayImage(4, 1, [0f, 1f, 2f, 4f]), 2, 1);
        Assert.Equal([0.5f, 3f], result.Pixels);
    }

    [Fact]
    public void Same_size_is_the_identity()
    {
        var image = new GrayImage(3, 2, [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f]);
        Assert.Equal(image.Pixels, AspectResize.Bilinear(image, 3, 2).Pixels);
    }

    [Fact]
    public void Wide_image_is_centred_with_padding_above_and_below()
    {
        var image = new GrayImage(4, 2, Enumerable.Repeat(1f, 8).ToArray());
        var result = AspectResize.Apply(image, 4, padValue: 0);
        Assert.Equal(new PixelRect(0, 1, 4, 2), AspectResize.Placement(4, 2, 4));
        Assert.Equal([0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f], result.Pixels);
    }

    [Theory]
    [InlineData(1024, 657, 224, 0, 40, 224, 144)]   // 657·224/1024 = 143.7 → 144; (224 − 144)/2 = 40
    [InlineData(1015, 1024, 224, 1, 0, 222, 224)]   // 1015·224/1024 = 222.0
    [InlineData(2000, 2500, 224, 22, 0, 179, 224)]  // 2000·224/2500 = 179.2 → 179; (224 − 179)/2 = 22
    [InlineData(1, 500, 224, 111, 0, 1, 224)]       // never narrower than one pixel; (224 − 1)/2 = 111
    public void Placement_keeps_the_aspect_ratio(int w, int h, int size, int x, int y, int pw, int ph) =>
        Assert.Equal(new PixelRect(x, y, pw, ph), AspectResize.Placement(w, h, size));
}
