using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Imaging.Tests.TestSupport;

namespace CxrPacsAgent.Imaging.Tests.Preprocessing;

/// <summary>Border and text-band cropping: exact on synthetic images, never into lung on real ones.</summary>
public sealed class BorderCropTests
{
    [Fact]
    public void Black_borders_and_a_text_band_are_removed_exactly()
    {
        // 100×80: anatomy-like texture inside, black 10 px at the left and 5 px at the top, and a 12-row black band at
        // the bottom with white "text" over 10 % of its width.
        var image = new GrayImage(100, 80);
        for (var y = 0; y < 80; y++)
        {
            for (var x = 0; x < 100; x++)
            {
                image[x, y] = 0.4f + (0.4f * (float)Math.Abs(Math.Sin((x * 0.2) + (y * 0.13))));
            }
        }
        for (var y = 0; y < 80; y++)
        {
            for (var x = 0; x < 10; x++)
            {
                image[x, y] = 0;
            }
        }
        for (var y = 0; y < 5; y++)
        {
            image.Row(y).Clear();
        }
        for (var y = 68; y < 80; y++)
        {
            image.Row(y).Clear();
            for (var x = 40; x < 50; x++)
            {
                image[x, y] = 1; // burned-in text
            }
        }
        Assert.Equal(new PixelRect(10, 5, 90, 63), BorderCrop.Find(image, new BorderCropOptions()));
    }

    [Fact]
    public void No_side_loses_more_than_the_limit()
    {
        var image = new GrayImage(100, 100);
        for (var y = 0; y < 100; y++)
        {
            for (var x = 60; x < 100; x++)
            {
                image[x, y] = 0.8f; // left 60 % black
            }
        }
        var crop = BorderCrop.Find(image, new BorderCropOptions());
        Assert.Equal(25, crop.X);
        Assert.Equal(new PixelRect(25, 0, 75, 100), crop);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    [InlineData("3")]
    [InlineData("4")]
    public void Crop_keeps_every_lung_pixel_of_the_reference_mask(string name)
    {
        var image = ImageFile.LoadGray(TestData.Path("lungseg-demo", name + ".jpg"));
        var mask = ImageFile.LoadGray(TestData.Path("lungseg-demo", name + "-mask.png"));
        var crop = BorderCrop.Find(image, new BorderCropOptions());
        for (var y = 0; y < mask.Height; y++)
        {
            for (var x = 0; x < mask.Width; x++)
            {
                Assert.True(mask[x, y] < 0.5f || crop.Contains(x, y), $"lung pixel ({x},{y}) outside crop {crop}");
            }
        }
    }

    [Fact]
    public void Adult_samples_keep_the_thorax()
    {
        foreach (var path in TestData.AdultSamples())
        {
            var image = ImageFile.LoadGray(path);
            var crop = BorderCrop.Find(image, new BorderCropOptions());
            // Lungs lie in the central part of the film: the crop must keep the middle 50 % in both directions.
            Assert.True(crop.X <= image.Width / 4 && crop.Right >= image.Width * 3 / 4, $"{Path.GetFileName(path)}: {crop}");
            Assert.True(crop.Y <= image.Height / 4 && crop.Bottom >= image.Height * 3 / 4, $"{Path.GetFileName(path)}: {crop}");
        }
    }
}
