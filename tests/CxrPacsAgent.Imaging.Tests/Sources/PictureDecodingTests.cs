using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Imaging.Tests.TestSupport;

namespace CxrPacsAgent.Imaging.Tests.Sources;

/// <summary>
/// PNG/JPEG inputs as the service reads them (<see cref="ImageFile.LoadGray"/>): 16-bit PNGs at full depth (every
/// filter type, colour, an eXIf orientation), JPEG EXIF orientations as Pillow's exif_transpose shows them, and
/// truncated or damaged files refused by name.
/// </summary>
[Collection(PictureCollection.Name)]
public sealed class PictureDecodingTests(PictureFixture pictures)
{
    [Theory]
    [InlineData("grey16-filters")]   // rows filtered None, Sub, Up, Average, Paeth in turn
    [InlineData("grey16-pillow")]    // Pillow's own 16-bit encoder
    [InlineData("grey16-exif6")]     // an eXIf chunk asking for a quarter turn
    public void Sixteen_bit_grey_keeps_every_sample_exactly(string name)
    {
        var image = ImageFile.LoadGray(pictures.File(name + ".png"));
        var (w, h, expected) = pictures.Expected(name);
        Assert.Equal((w, h), (image.Width, image.Height));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], (int)Math.Round(image.Pixels[i] * 65535.0));
        }
        // Full depth, not 8 bits scaled up: the low byte carries information.
        Assert.Contains(image.Pixels, p => (int)Math.Round(p * 65535.0) % 257 != 0);
    }

    [Fact]
    public void Sixteen_bit_rgba_becomes_luma_and_ignores_alpha()
    {
        var image = ImageFile.LoadGray(pictures.File("rgba16.png"));
        var (_, _, expected) = pictures.Expected("rgba16");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.InRange(image.Pixels[i] * 65535.0, expected[i] - 1.0, expected[i] + 1.0);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(8)]
    public void Jpeg_exif_orientation_is_honoured(int orientation)
    {
        var image = ImageFile.LoadGray(pictures.File($"exif{orientation}.jpg"));
        var (w, h, expected) = pictures.Expected($"exif{orientation}");
        Assert.Equal((w, h), (image.Width, image.Height));
        // Same decoder family (libjpeg) on both sides, quality 100: within two grey levels everywhere.
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.InRange(image.Pixels[i] * 255.0, (expected[i] / 257.0) - 2, (expected[i] / 257.0) + 2);
        }
    }

    [Theory]
    [InlineData("truncated16.png", "truncated")]
    [InlineData("truncated8.png", "truncated")]
    [InlineData("truncated.jpg", "truncated")]
    [InlineData("crc16.png", "CRC")]
    public void Damaged_pictures_are_an_error_naming_the_file(string name, string problem)
    {
        var e = Assert.Throws<ImageException>(() => ImageFile.LoadGray(pictures.File(name)));
        Assert.Equal(ImageError.Unreadable, e.Error);
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exif_orientation_maps_each_value_to_its_turn_or_mirror()
    {
        // Stored 3×2: [a b c / d e f]. Each value's upright picture, row by row.
        var stored = new GrayImage(3, 2, [1, 2, 3, 4, 5, 6]);
        Assert.Equal([1f, 2, 3, 4, 5, 6], ExifOrientation.Apply(stored, 1).Pixels);
        Assert.Equal([3f, 2, 1, 6, 5, 4], ExifOrientation.Apply(stored, 2).Pixels);
        Assert.Equal([6f, 5, 4, 3, 2, 1], ExifOrientation.Apply(stored, 3).Pixels);
        Assert.Equal([4f, 5, 6, 1, 2, 3], ExifOrientation.Apply(stored, 4).Pixels);
        Assert.Equal([1f, 4, 2, 5, 3, 6], ExifOrientation.Apply(stored, 5).Pixels);
        Assert.Equal([4f, 1, 5, 2, 6, 3], ExifOrientation.Apply(stored, 6).Pixels);
        Assert.Equal([6f, 3, 5, 2, 4, 1], ExifOrientation.Apply(stored, 7).Pixels);
        Assert.Equal([3f, 6, 2, 5, 1, 4], ExifOrientation.Apply(stored, 8).Pixels);
        Assert.Equal((2, 3), (ExifOrientation.Apply(stored, 6).Width, ExifOrientation.Apply(stored, 6).Height));
    }
}
