namespace CxrPacsAgent.Imaging.Tests;

/// <summary>PNG round trips exactly at 8 bits; JPEG round trips closely.</summary>
public sealed class ImageFileTests
{
    [Fact]
    public void Png_and_jpeg_round_trip()
    {
        var image = new GrayImage(64, 48);
        for (var y = 0; y < 48; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                image[x, y] = MathF.Round((x + y) / 110f * 255) / 255;
            }
        }
        var folder = Directory.CreateTempSubdirectory("cxr-imagefile-").FullName;
        try
        {
            var png = Path.Combine(folder, "a.png");
            var jpeg = Path.Combine(folder, "a.jpg");
            ImageFile.SavePng(image, png);
            ImageFile.SaveJpeg(image, jpeg);
            var fromPng = ImageFile.LoadGray(png);
            var fromJpeg = ImageFile.LoadGray(jpeg);
            Assert.Equal(image.Pixels.Select(p => (int)MathF.Round(p * 255)), fromPng.Pixels.Select(p => (int)MathF.Round(p * 255)));
            Assert.Equal((64, 48), (fromJpeg.Width, fromJpeg.Height));
            Assert.True(image.Pixels.Zip(fromJpeg.Pixels, (a, b) => Math.Abs(a - b)).Max() < 0.05f);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
