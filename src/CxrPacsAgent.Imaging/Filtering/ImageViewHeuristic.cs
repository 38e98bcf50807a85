using CxrPacsAgent.Imaging.Preprocessing;

namespace CxrPacsAgent.Imaging.Filtering;

/// <summary>
/// "Does this look like a frontal chest radiograph?" for headers that do not say. A frontal chest is roughly square,
/// nearly mirror-symmetric, and has a bright mediastinum between two darker lung fields; a lateral, a limb or a
/// screenshot fails one of these. Deliberately permissive: the header is the primary filter.
/// </summary>
public static class ImageViewHeuristic
{
    public const int MinimumSide = 64;

    /// <summary>Width/height outside this range is not a chest film (detectors are 35×43 cm or 43×43 cm).</summary>
    public const double MinAspect = 0.55;

    /// <inheritdoc cref="MinAspect"/>
    public const double MaxAspect = 1.8;

    /// <summary>Correlation with the mirror image must reach this. Low on purpose: rotation, markers and one-sided disease lower it (0.28–0.91 on the adult and lungseg samples).</summary>
    public const double MinSymmetry = 0.15;

    /// <summary>The central band must be brighter than the lung bands by this much (0.13–0.48 on frontal samples; below 0 on a dental CR).</summary>
    public const double MinMediastinumContrast = 0.05;

    public static ViewDecision Evaluate(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Math.Min(image.Width, image.Height) < MinimumSide)
        {
            return ViewDecision.Skip(SkipReason.TooSmall, $"{image.Width}x{image.Height} is smaller than {MinimumSide} pixels a side");
        }
        double aspect, symmetry, contrast;
        try
        {
            (aspect, symmetry, contrast) = Measure(image);
        }
        catch (ImageException e) when (e.Error == ImageError.BlankImage)
        {
            return ViewDecision.Skip(SkipReason.ImageNotFrontalChest, e.Message);
        }
        var measured = $"aspect {aspect:0.00}, symmetry {symmetry:0.00}, mediastinum contrast {contrast:0.00}";
        if (aspect < MinAspect || aspect > MaxAspect || double.IsNaN(symmetry) || symmetry < MinSymmetry || contrast < MinMediastinumContrast)
        {
            return ViewDecision.Skip(SkipReason.ImageNotFrontalChest, $"does not look like a frontal chest ({measured})");
        }
        return ViewDecision.Accept($"looks frontal ({measured})");
    }

    /// <summary>Aspect ratio, mirror correlation and mediastinum contrast of the border-cropped, standardised image.</summary>
    internal static (double Aspect, double Symmetry, double Contrast) Measure(GrayImage image)
    {
        PixelValidation.EnsureUsable(image);
        var options = new PreprocessOptions();
        var cropped = image.Crop(BorderCrop.Find(image, options.Crop));
        var aspect = (double)cropped.Width / cropped.Height;
        var small = AspectResize.Bilinear(BrightnessStandardizer.Apply(cropped, 0.01, 0.99), 64, 64);

        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        var n = 0;
        for (var y = 6; y < 58; y++)
        {
            for (var x = 6; x < 58; x++)
            {
                double a = small[x, y], b = small[63 - x, y];
                sa += a; sb += b; saa += a * a; sbb += b * b; sab += a * b;
                n++;
            }
        }
        var cov = (sab / n) - (sa / n * (sb / n));
        var symmetry = cov / Math.Sqrt(((saa / n) - Math.Pow(sa / n, 2)) * ((sbb / n) - Math.Pow(sb / n, 2)));
        var centre = Mean(small, 26, 38, 13, 45);
        var lungs = (Mean(small, 10, 22, 13, 45) + Mean(small, 42, 54, 13, 45)) / 2;
        return (aspect, symmetry, centre - lungs);
    }

    private static double Mean(GrayImage image, int x0, int x1, int y0, int y1)
    {
        double sum = 0;
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                sum += image[x, y];
            }
        }
        return sum / ((x1 - x0) * (y1 - y0));
    }
}
