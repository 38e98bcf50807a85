namespace CxrPacsAgent.Imaging.Segmentation;

/// <summary>Separable box blur with clamped edges; two passes approximate a Gaussian of σ ≈ r·0.8.</summary>
internal static class BoxBlur
{
    public static GrayImage Apply(GrayImage image, int radius, int passes = 2)
    {
        var current = image;
        for (var p = 0; p < passes; p++)
        {
            current = Pass(Pass(current, radius, horizontal: true), radius, horizontal: false);
        }
        return current;
    }

    /// <summary>One separable pass with a running sum; edge pixels are repeated (clamped) beyond the border.</summary>
    private static GrayImage Pass(GrayImage image, int radius, bool horizontal)
    {
        var (w, h) = (image.Width, image.Height);
        var result = new GrayImage(w, h);
        var length = horizontal ? w : h;
        var lines = horizontal ? h : w;
        var stride = horizontal ? 1 : w;
        var norm = 1.0 / ((2 * radius) + 1);
        var source = image.Pixels;
        for (var line = 0; line < lines; line++)
        {
            var start = horizontal ? line * w : line;
            double sum = 0;
            for (var k = -radius; k <= radius; k++)
            {
                sum += source[start + (Math.Clamp(k, 0, length - 1) * stride)];
            }
            for (var i = 0; i < length; i++)
            {
                result.Pixels[start + (i * stride)] = (float)(sum * norm);
                sum += source[start + (Math.Min(i + radius + 1, length - 1) * stride)];
                sum -= source[start + (Math.Max(i - radius, 0) * stride)];
            }
        }
        return result;
    }
}
