using CxrPacsAgent.Imaging.Sources;
using SkiaSharp;

namespace CxrPacsAgent.Imaging;

/// <summary>PNG/JPEG in and out through SkiaSharp: research inputs and the stage pictures a person looks at.</summary>
public static class ImageFile
{
    /// <summary>
    /// Loads a PNG or JPEG as grey, upright (EXIF orientation applied). Colour is reduced with Rec. 601 luma (the research
    /// sets store grey as RGB). 16-bit PNGs keep their full depth; 8-bit files go through SkiaSharp. A file that ends early
    /// or is damaged is an <see cref="ImageException"/> (<see cref="ImageError.Unreadable"/>), never a partial image.
    /// </summary>
    public static GrayImage LoadGray(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new ImageException(ImageError.Unreadable, $"Cannot open {path}: {e.Message}", e);
        }
        var name = Path.GetFileName(path);
        if (Png16Decoder.IsSixteenBit(bytes))
        {
            var (image, orientation) = Png16Decoder.Decode(bytes, name);
            return ExifOrientation.Apply(image, orientation);
        }
        return Decode(bytes, name);
    }

    private static GrayImage Decode(byte[] bytes, string name)
    {
        using var stream = new SKMemoryStream(bytes);
        using var codec = SKCodec.Create(stream, out var created);
        if (codec is null)
        {
            throw new ImageException(ImageError.Unreadable, created == SKCodecResult.IncompleteInput
                ? $"{name} is truncated: the file ends before its image header does."
                : $"{name} is not a PNG or JPEG that can be decoded ({created}).");
        }
        // No colour space: the stored sample values are the radiograph (an embedded ICC profile is not applied).
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (info.Width <= 0 || info.Height <= 0)
        {
            throw new ImageException(ImageError.EmptyImage, "The picture has no pixels.");
        }
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            // SkiaSharp fills what it could not decode with grey and calls it IncompleteInput: that is not a radiograph.
            throw new ImageException(ImageError.Unreadable, result == SKCodecResult.IncompleteInput
                ? $"{name} is truncated: its image data ends early."
                : $"{name} cannot be decoded ({result}).");
        }
        return ExifOrientation.Apply(FromBitmap(bitmap), (int)codec.EncodedOrigin);
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
