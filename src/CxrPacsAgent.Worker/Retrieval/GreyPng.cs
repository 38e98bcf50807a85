using CxrPacsAgent.Imaging;
using CxrPacsAgent.Retrieval;
using System.Numerics.Tensors;
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

    /// <summary>
    /// Area-average downsampling (each output pixel the mean of the source area it covers): no aliasing. Rows are
    /// resampled with precomputed weights, then whole rows are summed with SIMD, so a 5-megapixel film is read once,
    /// in memory order.
    /// </summary>
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
        var across = Weights(image.Width, width);
        var down = Weights(image.Height, height);
        var horizontal = new float[image.Height][];
        for (var y = 0; y < image.Height; y++)
        {
            var source = image.Row(y);
            var target = horizontal[y] = new float[width];
            for (var x = 0; x < width; x++)
            {
                var sum = 0f;
                foreach (var (j, weight) in across[x])
                {
                    sum += source[j] * weight;
                }
                target[x] = sum;
            }
        }
        var result = new GrayImage(width, height);
        for (var y = 0; y < height; y++)
        {
            var row = result.Row(y);
            foreach (var (j, weight) in down[y])
            {
                TensorPrimitives.MultiplyAdd(horizontal[j], weight, row, row);
            }
        }
        return result;
    }

    /// <summary>
    /// For each of <paramref name="target"/> samples of a line of <paramref name="source"/>: the source samples of the
    /// interval [i·s, (i+1)·s) it covers, each weighted by its coverage over s, so the weights sum to 1.
    /// </summary>
    private static (int Index, float Weight)[][] Weights(int source, int target)
    {
        var scale = source / (double)target;
        var weights = new (int, float)[target][];
        for (var i = 0; i < target; i++)
        {
            var start = i * scale;
            var end = start + scale;
            var first = (int)start;
            var last = Math.Min(source, (int)Math.Ceiling(end));
            weights[i] = new (int, float)[last - first];
            for (var j = first; j < last; j++)
            {
                weights[i][j - first] = (j, (float)((Math.Min(end, j + 1) - Math.Max(start, j)) / scale));
            }
        }
        return weights;
    }

    private static byte ToByte(float v) => float.IsNaN(v) ? (byte)0 : (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);
}
