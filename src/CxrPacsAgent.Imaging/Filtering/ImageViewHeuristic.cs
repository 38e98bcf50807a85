using CxrPacsAgent.Imaging.Preprocessing;

namespace CxrPacsAgent.Imaging.Filtering;

/// <summary>
/// "Does this look like a frontal chest radiograph?" for headers that do not say. A frontal chest has a detector's
/// shape and, across the thorax, a bright vertical midline (spine and mediastinum) with a darker lung field on each side
/// of it. Disease must not decide: consolidation whitens a lung and rotation or one-sided disease breaks the mirror
/// symmetry, so neither a lung's darkness against the other nor symmetry is asked for — only that the brightest column
/// near the middle stands above the darkest column on both sides (the least-diseased part of each lung is enough).
/// Deliberately permissive: the header is the primary filter, and the package's out-of-distribution flag judges
/// what gets through.
/// </summary>
public static class ImageViewHeuristic
{
    public const int MinimumSide = 64;

    /// <summary>Width/height (after the border crop) outside this range is not a chest film: detectors are 35×43 cm or 43×43 cm,
    /// frontal films measure 0.66–1.56 on the shared sets, a dental panoramic 1.67.</summary>
    public const double MinAspect = 0.55;

    /// <inheritdoc cref="MinAspect"/>
    public const double MaxAspect = 1.6;

    /// <summary>
    /// The midline must be brighter than the darkest column on each side by this much (on a [0,1] scale). Frontal films
    /// of every shared set measure ≥ 0.028, normal and diseased alike; the lateral thorax in highdicom's DX sample −0.03.
    /// </summary>
    public const double MinMidlineContrast = 0.0;

    private const int Grid = 64;

    public static ViewDecision Evaluate(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Math.Min(image.Width, image.Height) < MinimumSide)
        {
            return ViewDecision.Skip(SkipReason.TooSmall, $"{image.Width}x{image.Height} is smaller than {MinimumSide} pixels a side");
        }
        ViewMeasures m;
        try
        {
            m = Measure(image);
        }
        catch (ImageException e) when (e.Error == ImageError.BlankImage)
        {
            return ViewDecision.Skip(SkipReason.ImageNotFrontalChest, e.Message);
        }
        if (m.Aspect < MinAspect || m.Aspect > MaxAspect || !(m.MidlineContrast >= MinMidlineContrast))
        {
            return ViewDecision.Skip(SkipReason.ImageNotFrontalChest, $"does not look like a frontal chest ({m})");
        }
        return ViewDecision.Accept($"looks frontal ({m})");
    }

    /// <summary>The measures on the border-cropped, brightness-standardised image shrunk to 64×64.</summary>
    internal static ViewMeasures Measure(GrayImage image)
    {
        PixelValidation.EnsureUsable(image);
        var options = new PreprocessOptions();
        var cropped = image.Crop(BorderCrop.Find(image, options.Crop));
        var aspect = (double)cropped.Width / cropped.Height;
        var small = AspectResize.Bilinear(BrightnessStandardizer.Apply(cropped, 0.01, 0.99), Grid, Grid);
        var profile = ThoraxProfile(small);
        // The midline: the brightest column of the middle 40 %; a lung field: the darkest column 6–26 columns to each side.
        var mid = 20;
        for (var x = 20; x <= 44; x++)
        {
            if (profile[x] > profile[mid])
            {
                mid = x;
            }
        }
        double left = double.MaxValue, right = double.MaxValue;
        for (var x = Math.Max(2, mid - 26); x <= mid - 6; x++)
        {
            left = Math.Min(left, profile[x]);
        }
        for (var x = mid + 6; x <= Math.Min(Grid - 3, mid + 26); x++)
        {
            right = Math.Min(right, profile[x]);
        }
        return new ViewMeasures(aspect, profile[mid] - Math.Max(left, right), (double)mid / (Grid - 1));
    }

    /// <summary>Mean brightness of each column over the thorax rows (20 %–70 % of the height), smoothed over 5 columns.</summary>
    private static double[] ThoraxProfile(GrayImage small)
    {
        const int top = 13, bottom = 45;
        var columns = new double[Grid];
        for (var x = 0; x < Grid; x++)
        {
            double sum = 0;
            for (var y = top; y < bottom; y++)
            {
                sum += small[x, y];
            }
            columns[x] = sum / (bottom - top);
        }
        var smooth = new double[Grid];
        for (var x = 0; x < Grid; x++)
        {
            int from = Math.Max(0, x - 2), to = Math.Min(Grid - 1, x + 2);
            double sum = 0;
            for (var k = from; k <= to; k++)
            {
                sum += columns[k];
            }
            smooth[x] = sum / (to - from + 1);
        }
        return smooth;
    }
}
