namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>Rejects pixels no stage can work with, before any stage runs.</summary>
internal static class PixelValidation
{
    public static void EnsureUsable(GrayImage image)
    {
        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        foreach (var p in image.Pixels)
        {
            if (!float.IsFinite(p))
            {
                throw new ImageException(ImageError.NonFinitePixels, "The image has NaN or infinite pixels.");
            }
            min = Math.Min(min, p);
            max = Math.Max(max, p);
        }
        if (max - min < 1e-3f)
        {
            throw new ImageException(ImageError.BlankImage, $"Every pixel has brightness {min:0.###}: there is no radiograph.");
        }
    }
}
