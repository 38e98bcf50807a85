using CxrPacsAgent.Imaging.Preprocessing;

namespace CxrPacsAgent.Imaging.Tests.Preprocessing;

/// <summary>CLAHE against cases computed by hand (the arithmetic is in each test's comment).</summary>
public sealed class ClaheTests
{
    [Fact]
    public void One_tile_without_clipping_is_histogram_equalisation()
    {
        // Bins 0 and 255 hold two pixels each of four: the maps are cdf/area = 2/4 and 4/4.
        var image = new GrayImage(2, 2, [0f, 0f, 1f, 1f]);
        var result = Clahe.Apply(image, new ClaheOptions { TilesX = 1, TilesY = 1, ClipLimit = 0 });
        Assert.Equal([0.5f, 0.5f, 1f, 1f], result.Pixels);
    }

    [Fact]
    public void Clipped_excess_is_spread_over_all_bins()
    {
        // 16 pixels in bin 2 of 4; limit = 1.0·16/4 = 4; excess 12 → 3 per bin: [3,3,7,3]; cdf(2) = 13 → 13/16.
        var image = new GrayImage(4, 4, Enumerable.Repeat(0.5f, 16).ToArray());
        var result = Clahe.Apply(image, new ClaheOptions { TilesX = 1, TilesY = 1, ClipLimit = 1.0, Bins = 4 });
        Assert.All(result.Pixels, p => Assert.Equal(0.8125f, p));
    }

    [Fact]
    public void Clip_residual_goes_to_bins_at_a_regular_step()
    {
        // 10 pixels in bin 2 of 4; limit = (int)(1.2·10/4) = 3; excess 7 → 1 per bin, residual 3 at step 4/3 = 1 → bins
        // 0, 1, 2: [2,2,5,1]; cdf(2) = 9 → 0.9.
        var histogram = new[] { 0, 0, 10, 0 };
        Clahe.Clip(histogram, 3);
        Assert.Equal([2, 2, 5, 1], histogram);
        var image = new GrayImage(5, 2, Enumerable.Repeat(0.5f, 10).ToArray());
        var result = Clahe.Apply(image, new ClaheOptions { TilesX = 1, TilesY = 1, ClipLimit = 1.2, Bins = 4 });
        Assert.All(result.Pixels, p => Assert.Equal(0.9f, p, 6));
    }

    [Fact]
    public void Tile_maps_are_blended_bilinearly_between_tile_centres()
    {
        // Tiles x∈[0,2) (bins 0,0 → map [1,1]) and x∈[2,4) (bins 0,1 → map [0.5,1]); centres at 1 and 3 (OpenCV's
        // x/tileWidth − ½). x=0,1: up to the first centre → tile 0: 1. x=2: weight (2−1)/2 = 0.5, bin 0 →
        // 0.5·1 + 0.5·0.5 = 0.75. x=3: at the last centre → tile 1, bin 1: 1.
        var image = new GrayImage(4, 1, [0f, 0f, 0f, 1f]);
        var result = Clahe.Apply(image, new ClaheOptions { TilesX = 2, TilesY = 1, ClipLimit = 0, Bins = 2 });
        Assert.Equal([1f, 1f, 0.75f, 1f], result.Pixels);
    }

    [Fact]
    public void Output_stays_in_unit_range_and_is_deterministic()
    {
        var image = new GrayImage(97, 61);
        for (var i = 0; i < image.Pixels.Length; i++)
        {
            image.Pixels[i] = (float)((Math.Sin(i * 0.37) + 1) / 2);
        }
        var a = Clahe.Apply(image, new ClaheOptions());
        var b = Clahe.Apply(image, new ClaheOptions());
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.All(a.Pixels, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void Images_smaller_than_the_tile_grid_still_work()
    {
        var result = Clahe.Apply(new GrayImage(3, 2, [0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f]), new ClaheOptions());
        Assert.Equal(6, result.Pixels.Length);
        Assert.All(result.Pixels, p => Assert.InRange(p, 0f, 1f));
    }
}
