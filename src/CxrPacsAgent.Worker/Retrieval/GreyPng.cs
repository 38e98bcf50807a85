using CxrPacsAgent.Imaging;
using CxrPacsAgent.Retrieval;
using SkiaSharp;

namespace CxrPacsAgent.Worker.Retrieval;

/// <summary>
/// Grey images as 8-bit greyscale PNG in memory (SkiaSharp), downsampled by area averaging to a longest side: the
/// library's re-embedding copies and thumbnails. Pixels are displayed brightness in [0, 1], as Imaging gives them.
/// </summary>
internal static class GreyPng
{
    public const string MediaType = "image/png";

    /// <summary>The image shrunk (never enlarged) to <paramref name="longSide"/> and PNG-encoded.</summary>
    public static EncodedImage Encode(GrayImage image, int longSide)
    {
        ArgumentNullException.ThrowIfNull(image);
        var small = Shrink(image, longSide);
        var info = new SKImageInfo(small.Width, small.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        var pixels = bitmap.GetPixelSpan();
        for (var y = 0; y < small.Height; y++)
        {
            var row = small.Row(y);
            var target = pixels.Slice(y * bitmap.RowBytes, small.Width);
            for (var x = 0; x < row.Length; x++)
            {
                target[x] = ToByte(row[x]);
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new ImageException(ImageError.Unreadable, "PNG encoding failed");
        return new EncodedImage(data.ToArray(), MediaType);
    }

    /// <summary>Decodes what <see cref="Encode"/> wrote (any PNG or JPEG, reduced to grey) back to brightness in [0, 1].</summary>
    public static GrayImage Decode(EncodedImage encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        using var codec = SKCodec.Create(new SKMemoryStream(encoded.Data))
            ?? throw new ImageException(ImageError.Unreadable, $"the stored {encoded.MediaType} image cannot be decoded");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = SKBitmap.Decode(codec, info)
            ?? throw new ImageException(ImageError.Unreadable, $"the stored {encoded.MediaType} image cannot be decoded");
        var image = new GrayImage(info.Width, info.Height);
        var pixels = bitmap.GetPixelSpan();
        for (var y = 0; y < info.Height; y++)
        {
            var source = pixels.Slice(y * bitmap.RowBytes, info.Width);
            var row = image.Row(y);
            for (var x = 0; x < row.Length; x++)
            {
                row[x] = source[x] / 255f;
            }
        }
        return image;
    }

    /// <summary>Area-average downsampling (each output pixel the mean of the source area it covers): no aliasing.</summary>
    internal static GrayImage Shrink(GrayImage image, int longSide)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(longSide, 1);
        var scale = Math.Max(image.Width, image.Height) / (double)longSide;
        if (scale <= 1)
        {
            return image;
        }
        var width = Math.Max(1, (int)Math.Round(image.Width / scale));
        var height = Math.Max(1, (int)Math.Round(image.Height / scale));
        var horizontal = new GrayImage(width, image.Height);
        for (var y = 0; y < image.Height; y++)
        {
            AreaResample(image.Row(y), horizontal.Row(y));
        }
        var result = new GrayImage(width, height);
        var column = new float[image.Height];
        var resampled = new float[height];
        for (var x = 0; x < width; x++)
        {
            for (var y = 0; y < image.Height; y++)
            {
                column[y] = horizontal[x, y];
            }
            AreaResample(column, resampled);
            for (var y = 0; y < height; y++)
            {
                result[x, y] = resampled[y];
            }
        }
        return result;
    }

    /// <summary>One line: output sample i is the mean of source interval [i·s, (i+1)·s), partial pixels weighted by coverage.</summary>
    private static void AreaResample(ReadOnlySpan<float> source, Span<float> target)
    {
        var scale = source.Length / (double)target.Length;
        for (var i = 0; i < target.Length; i++)
        {
            var start = i * scale;
            var end = start + scale;
            var sum = 0.0;
            for (var j = (int)start; j < Math.Min(source.Length, (int)Math.Ceiling(end)); j++)
            {
                var overlap = Math.Min(end, j + 1) - Math.Max(start, j);
                sum += source[j] * overlap;
            }
            target[i] = (float)(sum / scale);
        }
    }

    private static byte ToByte(float v) => float.IsNaN(v) ? (byte)0 : (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);
}
