namespace CxrPacsAgent.Imaging.Rendering;

/// <summary>Simple pictures of pipeline stages for people: a lung map drawn over the image.</summary>
public static class StagePictures
{
    /// <summary>The image in grey, the lung map tinted red with a yellow outline; an optional reference outline in green.</summary>
    public static RgbImage Overlay(GrayImage image, GrayImage lungMap, GrayImage? reference = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(lungMap);
        var rgb = new byte[image.Pixels.Length * 3];
        for (var i = 0; i < image.Pixels.Length; i++)
        {
            var g = Math.Clamp(image.Pixels[i], 0f, 1f) * 255f;
            var p = Math.Clamp(lungMap.Pixels[i], 0f, 1f) * 0.35f;
            rgb[3 * i] = (byte)((g * (1 - p)) + (255 * p));
            rgb[(3 * i) + 1] = (byte)(g * (1 - p));
            rgb[(3 * i) + 2] = (byte)(g * (1 - p));
        }
        Outline(rgb, lungMap, 255, 220, 0);
        if (reference is not null)
        {
            Outline(rgb, reference, 0, 230, 0);
        }
        return new RgbImage(image.Width, image.Height, rgb);
    }

    private static void Outline(byte[] rgb, GrayImage map, byte r, byte g, byte b)
    {
        foreach (var i in LungOutline.Pixels(map))
        {
            rgb[3 * i] = r;
            rgb[(3 * i) + 1] = g;
            rgb[(3 * i) + 2] = b;
        }
    }
}
