namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>
/// Resizes into a square of the model's size keeping the aspect ratio: scaled bilinearly (half-pixel centres, as
/// cv2.resize INTER_LINEAR) to fit, centred, the rest padded. Squashing the chest would change heart/lung proportions.
/// </summary>
public static class AspectResize
{
    /// <summary>Where the image lands inside the <paramref name="size"/>×<paramref name="size"/> output.</summary>
    public static PixelRect Placement(int width, int height, int size)
    {
        var scale = Math.Min((double)size / width, (double)size / height);
        var w = Math.Clamp((int)Math.Round(width * scale), 1, size);
        var h = Math.Clamp((int)Math.Round(height * scale), 1, size);
        return new PixelRect((size - w) / 2, (size - h) / 2, w, h);
    }

    public static GrayImage Apply(GrayImage image, int size, float padValue)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var place = Placement(image.Width, image.Height, size);
        var result = new GrayImage(size, size);
        Array.Fill(result.Pixels, padValue);
        var resized = Bilinear(image, place.Width, place.Height);
        for (var y = 0; y < place.Height; y++)
        {
            resized.Row(y).CopyTo(result.Row(place.Y + y)[place.X..]);
        }
        return result;
    }

    /// <summary>Bilinear resampling to exactly <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static GrayImage Bilinear(GrayImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        var xs = Taps(image.Width, width);
        var ys = Taps(image.Height, height);
        var result = new GrayImage(width, height);
        for (var y = 0; y < height; y++)
        {
            var (y0, y1, wy) = ys[y];
            var r0 = image.Row(y0);
            var r1 = image.Row(y1);
            var output = result.Row(y);
            for (var x = 0; x < width; x++)
            {
                var (x0, x1, wx) = xs[x];
                var top = r0[x0] + (wx * (r0[x1] - r0[x0]));
                var bottom = r1[x0] + (wx * (r1[x1] - r1[x0]));
                output[x] = top + (wy * (bottom - top));
            }
        }
        return result;
    }

    /// <summary>Source pixels and weight for each output pixel: src = (dst + ½)·in/out − ½, clamped at the edges.</summary>
    private static (int I0, int I1, float W)[] Taps(int from, int to)
    {
        var taps = new (int, int, float)[to];
        var scale = (double)from / to;
        for (var i = 0; i < to; i++)
        {
            var s = Math.Clamp(((i + 0.5) * scale) - 0.5, 0, from - 1);
            var i0 = (int)Math.Floor(s);
            var i1 = Math.Min(i0 + 1, from - 1);
            taps[i] = (i0, i1, (float)(s - i0));
        }
        return taps;
    }
}
