using SkiaSharp;

namespace CxrPacsAgent.Imaging;

/// <summary>8-bit RGB pixels, interleaved, row-major, no padding: what a Secondary Capture's Pixel Data holds.</summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0 || height <= 0 || pixels.Length != (long)width * height * 3)
        {
            throw new ArgumentException($"{width}x{height} RGB needs {(long)width * height * 3} bytes, got {pixels.Length}.", nameof(pixels));
        }
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

#pragma warning disable CA1819 // The SC builder takes the bytes as they are.
    public byte[] Pixels { get; }
#pragma warning restore CA1819

    internal static RgbImage FromBitmap(SKBitmap bitmap)
    {
        var colors = bitmap.Pixels;
        var rgb = new byte[colors.Length * 3];
        for (var i = 0; i < colors.Length; i++)
        {
            rgb[3 * i] = colors[i].Red;
            rgb[(3 * i) + 1] = colors[i].Green;
            rgb[(3 * i) + 2] = colors[i].Blue;
        }
        return new RgbImage(bitmap.Width, bitmap.Height, rgb);
    }

    internal SKBitmap ToBitmap()
    {
        var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var colors = new SKColor[Width * Height];
        for (var i = 0; i < colors.Length; i++)
        {
            colors[i] = new SKColor(Pixels[3 * i], Pixels[(3 * i) + 1], Pixels[(3 * i) + 2]);
        }
        bitmap.Pixels = colors;
        return bitmap;
    }
}
