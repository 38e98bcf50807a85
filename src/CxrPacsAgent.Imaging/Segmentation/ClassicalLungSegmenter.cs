namespace CxrPacsAgent.Imaging.Segmentation;

/// <summary>
/// Lung fields without weights: lungs are the two large dark regions inside the thorax. Smooth → Otsu threshold of the
/// thorax → spatial prior → opening (cuts vessels, trachea necks) → drop regions touching the edge (air outside the
/// body) → largest region on each side → hole filling and closing (the heart border and ribs leave notches).
/// Tuned on the four lungseg-demo images; dimensions scale with the input size.
/// </summary>
public sealed class ClassicalLungSegmenter(ClassicalLungSegmenterOptions options) : ILungSegmenter
{
    public ClassicalLungSegmenter() : this(new ClassicalLungSegmenterOptions()) { }

    public ClassicalLungSegmenterOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    public GrayImage Segment(LungSegmentationInput input) => ToProbability(Masks(input, Options).Lungs, Unit(input.Content));

    /// <summary>The intermediate masks, for the stage pictures and tuning.</summary>
    internal static (BinaryMask Candidate, BinaryMask Seeds, BinaryMask Lungs) Masks(LungSegmentationInput input, ClassicalLungSegmenterOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        var image = input.Standardized;
        var c = input.Content;
        var unit = Unit(c);
        var smooth = BoxBlur.Apply(image, 2 * unit);
        var prior = Prior(c);
        var otsu = Otsu.Threshold(Inner(smooth, c));
        var clahe = BoxBlur.Apply(input.Preprocessed, unit);
        var claheOtsu = Otsu.Threshold(Inner(clahe, c));

        // Each lung gets the highest threshold (Otsu's, lowered step by step) at which it is a region of its own,
        // clear of the air and soft tissue at the sides that a global threshold joins it to.
        var candidate = new BinaryMask(image.Width, image.Height);
        var seeds = new BinaryMask(image.Width, image.Height);
        foreach (var left in new[] { true, false })
        {
            for (var step = 0; step < options.ThresholdSteps; step++)
            {
                var threshold = otsu * (1 - (options.ThresholdStep * step));
                var below = Threshold(smooth, prior, threshold);
                var lung = PickLung(below.Open(2 * unit), prior, left);
                if (lung is null)
                {
                    continue;
                }
                foreach (var i in lung.Pixels)
                {
                    seeds.Bits[i] = true;
                }
                var grow = options.GrowOnClahe
                    ? Threshold(clahe, prior, claheOtsu * options.GrowThreshold)
                    : Threshold(smooth, prior, threshold * options.GrowThreshold);
                Merge(candidate, grow, left, prior);
                break;
            }
        }
        // Grow the seeds into the slightly brighter periphery (bases, costophrenic angles) for a limited distance, so a thin
        // bridge to outside air cannot carry the growth far; then close the notches the heart border and ribs leave.
        var lungs = seeds;
        for (var i = 0; i < options.GrowSteps * unit; i++)
        {
            lungs = lungs.Dilate(1);
            for (var k = 0; k < lungs.Bits.Length; k++)
            {
                lungs.Bits[k] &= candidate.Bits[k];
            }
        }
        lungs = lungs.FillHoles().Close(options.CloseRadius * unit).FillHoles();
        return (candidate, seeds, lungs);
    }

    /// <summary>Pixels darker than <paramref name="threshold"/> inside the prior, less a midline strip (trachea, spine).</summary>
    private static BinaryMask Threshold(GrayImage smooth, PixelRect prior, float threshold)
    {
        var mask = new BinaryMask(smooth.Width, smooth.Height);
        var mid = prior.X + (prior.Width / 2);
        var half = Math.Max(1, prior.Width / 50);
        for (var y = prior.Y; y < prior.Bottom; y++)
        {
            for (var x = prior.X; x < prior.Right; x++)
            {
                mask[x, y] = smooth[x, y] < threshold && Math.Abs(x - mid) > half;
            }
        }
        return mask;
    }

    private static void Merge(BinaryMask target, BinaryMask source, bool left, PixelRect prior)
    {
        var mid = prior.X + (prior.Width / 2);
        for (var y = 0; y < target.Height; y++)
        {
            for (var x = left ? 0 : mid; x < (left ? mid : target.Width); x++)
            {
                target[x, y] |= source[x, y];
            }
        }
    }

    private static int Unit(PixelRect c) => Math.Max(1, (int)Math.Round(Math.Min(c.Width, c.Height) / 224.0));

    /// <summary>Where lungs can be at all: the content less a margin of a few per cent (air, collimator edges).</summary>
    private static PixelRect Prior(PixelRect c)
    {
        var mx = (int)(c.Width * 0.03);
        var my = (int)(c.Height * 0.02);
        return new PixelRect(c.X + mx, c.Y + my, c.Width - (2 * mx), c.Height - (2 * my));
    }

    /// <summary>The thorax's central part, whose histogram is lung vs. mediastinum/bone, not background.</summary>
    private static IEnumerable<float> Inner(GrayImage image, PixelRect c)
    {
        for (var y = c.Y + (c.Height / 10); y < c.Bottom - (c.Height / 20); y++)
        {
            for (var x = c.X + (c.Width / 10); x < c.Right - (c.Width / 10); x++)
            {
                yield return image[x, y];
            }
        }
    }

    /// <summary>
    /// The largest region on one side of the midline that does not touch the prior's left or right edge (air) and is
    /// big enough to be a lung; null if there is none.
    /// </summary>
    private static Component? PickLung(BinaryMask mask, PixelRect prior, bool left)
    {
        var minimum = prior.Width * prior.Height / 40;
        var midline = prior.X + (prior.Width / 2.0);
        return ConnectedComponents.Find(mask)
            .Where(k => k.Area >= minimum && k.Bounds.X > prior.X && k.Bounds.Right < prior.Right)
            .Where(k => left ? k.CentroidX < midline : k.CentroidX >= midline)
            .OrderByDescending(k => k.Area)
            .FirstOrDefault();
    }

    /// <summary>A soft edge (one pixel of blur) so the map is a probability, not a hard cut.</summary>
    private static GrayImage ToProbability(BinaryMask mask, int unit)
    {
        var hard = new GrayImage(mask.Width, mask.Height);
        for (var i = 0; i < mask.Bits.Length; i++)
        {
            hard.Pixels[i] = mask.Bits[i] ? 1f : 0f;
        }
        return BoxBlur.Apply(hard, unit, passes: 1);
    }
}
