using SkiaSharp;

namespace CxrPacsAgent.Imaging;

/// <summary>PNG/JPEG in and out through SkiaSharp: research inputs and the stage pictures a person looks at.</summary>
public static class ImageFile
{
    /// <summary>
    /// Loads a PNG or JPEG as grey (colour is reduced with Rec. 601 luma; the research sets store grey as RGB). Samples
    /// come through 8 bits, so a 16-bit PNG loses its low byte: 16-bit data belongs in DICOM.
    /// </summary>
    public static GrayImage LoadGray(string path)
    {
        using var data = SKData.Create(path) ?? throw new ImageException(ImageError.Unreadable, $"Cannot open {path}.");
        using var bitmap = SKBitmap.Decode(data)
            ?? throw new ImageException(ImageError.Unreadable, $"{Path.GetFileName(path)} is not a PNG or JPEG that can be decoded.");
        return FromBitmap(bitmap);
    }

    internal static GrayImage FromBitmap(SKBitmap bitmap)
    {
        if (bitmap.Width <= 0 || bitmap.Height <= 0)
        {
            throw new ImageException(ImageError.EmptyImage, "The picture has no pixels.");
        }
        var image = new GrayImage(bitmap.Width, bitmap.Height);
        var pixels = bitmap.Pixels; // SKColor (unpremultiplied 8-bit RGBA), whatever the stored format
        for (var i = 0; i < pixels.Length; i++)
        {
            var c = pixels[i];
            image.Pixels[i] = ((0.299f * c.Red) + (0.587f * c.Green) + (0.114f * c.Blue)) / 255f;
        }
        return image;
    }

    /// <summary>Saves grey as an 8-bit grey PNG (values clamped to [0,1]).</summary>
    public static void SavePng(GrayImage image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        SavePng(ToRgb(image), path);
    }

    /// <summary>Saves interleaved RGB as PNG.</summary>
    public static void SavePng(RgbImage image, string path) => Save(image, path, SKEncodedImageFormat.Png, 100);

    /// <summary>Saves grey as JPEG (lossy: for sharing pictures, never as model input).</summary>
    public static void SaveJpeg(GrayImage image, string path, int quality = 92)
    {
        ArgumentNullException.ThrowIfNull(image);
        Save(ToRgb(image), path, SKEncodedImageFormat.Jpeg, quality);
    }

    private static void Save(RgbImage image, string path, SKEncodedImageFormat format, int quality)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var bitmap = image.ToBitmap();
        using var encoded = bitmap.Encode(format, quality)
            ?? throw new ImageException(ImageError.Unreadable, $"{format} encoding failed.");
        using var stream = File.Create(path);
        encoded.SaveTo(stream);
    }

    private static RgbImage ToRgb(GrayImage image)
    {
        var rgb = new byte[image.Pixels.Length * 3];
        for (var i = 0; i < image.Pixels.Length; i++)
        {
            var v = ToByte(image.Pixels[i]);
            rgb[3 * i] = v;
            rgb[(3 * i) + 1] = v;
            rgb[(3 * i) + 2] = v;
        }
        return new RgbImage(image.Width, image.Height, rgb);
    }

    internal static byte ToByte(float v) => float.IsNaN(v) ? (byte)0 : (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);
}
