namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>
/// Percentile-based brightness standardisation: the low percentile maps to 0 and the high one to 1, clamped. It makes
/// exposures, detectors and bit depths comparable before CLAHE; percentiles (not min/max) ignore markers and dead pixels.
/// </summary>
public static class BrightnessStandardizer
{
    public static GrayImage Apply(GrayImage image, double lowPercentile, double highPercentile)
    {
        ArgumentNullException.ThrowIfNull(image);
        var p = Percentiles.Of(image.Pixels, lowPercentile, highPercentile);
        var (lo, hi) = (p[0], p[1]);
        if (hi - lo < 1e-3f)
        {
            throw new ImageException(ImageError.BlankImage, "The image has no contrast (its brightness is nearly uniform).");
        }
        var result = new GrayImage(image.Width, image.Height);
        var scale = 1f / (hi - lo);
        for (var i = 0; i < image.Pixels.Length; i++)
        {
            result.Pixels[i] = Math.Clamp((image.Pixels[i] - lo) * scale, 0f, 1f);
        }
        return result;
    }
}
