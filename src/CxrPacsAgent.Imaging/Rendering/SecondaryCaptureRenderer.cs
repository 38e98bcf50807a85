using SkiaSharp;
using CxrPacsAgent.Imaging.Preprocessing;

namespace CxrPacsAgent.Imaging.Rendering;

/// <summary>
/// Draws the Secondary Capture picture: the radiograph with lung outline (and optional heatmap), a panel with score,
/// call, threshold, model, notes and the most similar earlier cases, under a banner saying it is not for diagnostic
/// use. Draws no patient name, identifier or date. Returns RGB pixels; the SC IOD builder wraps them.
/// </summary>
public static class SecondaryCaptureRenderer
{
    internal const int Banner = 56;
    internal const int Panel = 400;

    private static readonly SKColor Background = new(18, 18, 18);
    private static readonly SKColor Warning = new(200, 24, 24);

    /// <summary>The outline's colour: green, away from the heatmap's blue-to-red ramp.</summary>
    internal static readonly (byte R, byte G, byte B) OutlineColor = (60, 230, 90);

    /// <param name="image">The radiograph, displayed brightness in [0,1] (VOI applied, MONOCHROME1 inverted).</param>
    /// <param name="lungMap">Lung probability over the same field as <paramref name="image"/> (any resolution), or null;
    /// its two largest regions are outlined.</param>
    /// <param name="card">What to state.</param>
    /// <param name="imageHeight">Height the radiograph is drawn at. Default 1024.</param>
    public static RgbImage Render(GrayImage image, GrayImage? lungMap, ResultCard card, int imageHeight = 1024)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(card);
        var imageWidth = Math.Max(1, (int)Math.Round((double)image.Width * imageHeight / image.Height));
        var width = imageWidth + Panel;
        var height = Banner + imageHeight;

        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(Background);
            Draw(canvas, Composite(image, lungMap, card.Heatmap, imageWidth, imageHeight), 0, Banner);
            DrawBanner(canvas, width);
            ResultPanel.Draw(canvas, card, imageWidth, Banner, imageHeight);
        }
        return RgbImage.FromBitmap(bitmap);
    }

    /// <summary>The radiograph at display size with the heatmap blended in and the lung outline on top.</summary>
    internal static RgbImage Composite(GrayImage image, GrayImage? lungMap, GrayImage? heatmap, int width, int height)
    {
        var grey = AspectResize.Bilinear(image, width, height);
        var heat = heatmap is null ? null : AspectResize.Bilinear(heatmap, width, height);
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < grey.Pixels.Length; i++)
        {
            float g = Math.Clamp(grey.Pixels[i], 0f, 1f) * 255f, r = g, gg = g, b = g;
            if (heat is not null && heat.Pixels[i] > 0.15f)
            {
                var (cr, cg, cb) = ColorMap.At(heat.Pixels[i]);
                // Fades in from 0.15 to 0.5 so low saliency leaves no hard edge and the film stays readable.
                var alpha = 0.45f * Math.Clamp((heat.Pixels[i] - 0.15f) / 0.35f, 0f, 1f);
                (r, gg, b) = ((r * (1 - alpha)) + (cr * alpha), (gg * (1 - alpha)) + (cg * alpha), (b * (1 - alpha)) + (cb * alpha));
            }
            rgb[3 * i] = (byte)r;
            rgb[(3 * i) + 1] = (byte)gg;
            rgb[(3 * i) + 2] = (byte)b;
        }
        if (lungMap is not null)
        {
            DrawOutline(rgb, AspectResize.Bilinear(LungRegions.Largest(lungMap), width, height));
        }
        return new RgbImage(width, height, rgb);
    }

    /// <summary>The map's boundary, two pixels wide so the line survives viewing at reduced size.</summary>
    private static void DrawOutline(byte[] rgb, GrayImage map)
    {
        var (w, h) = (map.Width, map.Height);
        var outline = new bool[w * h];
        foreach (var i in LungOutline.Pixels(map))
        {
            outline[i] = true;
        }
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var i = (y * w) + x;
                if (outline[i] || (x > 0 && outline[i - 1]) || (y > 0 && outline[i - w]))
                {
                    (rgb[3 * i], rgb[(3 * i) + 1], rgb[(3 * i) + 2]) = OutlineColor;
                }
            }
        }
    }

    private static void DrawBanner(SKCanvas canvas, int width)
    {
        using var fill = new SKPaint { Color = Warning };
        canvas.DrawRect(0, 0, width, Banner, fill);
        using var font = new SKFont(Fonts.Bold, 30);
        using var text = new SKPaint { Color = SKColors.White, IsAntialias = true };
        canvas.DrawText("NOT FOR DIAGNOSTIC USE", width / 2f, (Banner / 2f) + 11, SKTextAlign.Center, font, text);
    }

    /// <summary>Pixels are drawn 1:1 (already at display size), so sampling never blurs them.</summary>
    internal static void Draw(SKCanvas canvas, RgbImage picture, float x, float y)
    {
        using var bitmap = picture.ToBitmap();
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, x, y, new SKSamplingOptions(SKFilterMode.Nearest), null);
    }
}
