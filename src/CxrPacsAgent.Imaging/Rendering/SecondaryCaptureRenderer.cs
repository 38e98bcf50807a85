using System.Globalization;
using SkiaSharp;
using CxrPacsAgent.Imaging.Preprocessing;

namespace CxrPacsAgent.Imaging.Rendering;

/// <summary>
/// Draws the Secondary Capture picture: the radiograph with lung outline (and optional heatmap), a panel with score,
/// label, threshold, model and the most similar earlier cases, under a banner saying it is not for diagnostic use.
/// Returns RGB pixels; the SC IOD builder wraps them.
/// </summary>
public static class SecondaryCaptureRenderer
{
    private const int Banner = 56;
    private const int Panel = 380;
    private const int Margin = 16;

    private static readonly SKColor Background = new(18, 18, 18);
    private static readonly SKColor Warning = new(200, 24, 24);
    private static readonly SKColor OutlineColor = new(60, 230, 90);

    /// <param name="image">The radiograph, displayed brightness in [0,1].</param>
    /// <param name="lungMap">Lung probability over the same field as <paramref name="image"/> (any resolution), or null.</param>
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
            DrawPanel(canvas, card, imageWidth, Banner);
        }
        return RgbImage.FromBitmap(bitmap);
    }

    /// <summary>The radiograph at display size with the heatmap blended in and the lung outline on top.</summary>
    private static RgbImage Composite(GrayImage image, GrayImage? lungMap, GrayImage? heatmap, int width, int height)
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
            var map = AspectResize.Bilinear(lungMap, width, height);
            var outline = new GrayImage(width, height);
            foreach (var i in LungOutline.Pixels(map))
            {
                outline.Pixels[i] = 1;
            }
            // Two pixels wide so the line survives viewing at reduced size.
            foreach (var i in LungOutline.Pixels(map).Concat(Thicken(outline)))
            {
                (rgb[3 * i], rgb[(3 * i) + 1], rgb[(3 * i) + 2]) = ((byte)60, (byte)230, (byte)90);
            }
        }
        return new RgbImage(width, height, rgb);
    }

    private static IEnumerable<int> Thicken(GrayImage outline)
    {
        for (var y = 0; y < outline.Height; y++)
        {
            for (var x = 1; x < outline.Width; x++)
            {
                if (outline[x - 1, y] > 0 || (y > 0 && outline[x, y - 1] > 0))
                {
                    yield return (y * outline.Width) + x;
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

    private static void DrawPanel(SKCanvas canvas, ResultCard card, int left, int top)
    {
        var x = left + Margin;
        var y = top + Margin + 20f;
        using var regular = new SKFont(Fonts.Regular, 18);
        using var large = new SKFont(Fonts.Bold, 40);
        using var bold = new SKFont(Fonts.Bold, 22);
        using var small = new SKFont(Fonts.Regular, 12);
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        using var grey = new SKPaint { Color = new SKColor(180, 180, 180), IsAntialias = true };
        var culture = CultureInfo.InvariantCulture;

        canvas.DrawText("AI result (research)", x, y, SKTextAlign.Left, regular, grey);
        y += 48;
        canvas.DrawText(card.Score.ToString("0.00", culture), x, y, SKTextAlign.Left, large, white);
        y += 34;
        canvas.DrawText(Fit(card.Label, bold, Panel - (2 * Margin)), x, y, SKTextAlign.Left, bold, white);
        y += 28;
        canvas.DrawText($"threshold {card.Threshold.ToString("0.00", culture)}", x, y, SKTextAlign.Left, regular, grey);
        y += 26;
        canvas.DrawText(Fit($"{card.ModelName} {card.ModelVersion}", regular, Panel - (2 * Margin)), x, y, SKTextAlign.Left, regular, grey);
        y += 26;
        using var outline = new SKPaint { Color = OutlineColor, IsAntialias = true };
        canvas.DrawText("— lung outline (automatic)", x, y, SKTextAlign.Left, small, outline);
        y += 40;
        if (card.SimilarCases.Count == 0)
        {
            return;
        }
        canvas.DrawText("Most similar earlier cases", x, y, SKTextAlign.Left, regular, white);
        y += 12;
        const int thumb = 110;
        const int perRow = 3;
        var gap = (Panel - (2 * Margin) - (perRow * thumb)) / (perRow - 1);
        for (var i = 0; i < card.SimilarCases.Count && i < 6; i++)
        {
            var (tx, ty) = (x + ((i % perRow) * (thumb + gap)), y + ((i / perRow) * (thumb + 36)));
            var shown = AspectResize.Apply(card.SimilarCases[i].Thumbnail, thumb, 0);
            Draw(canvas, Composite(shown, null, null, thumb, thumb), tx, ty);
            canvas.DrawText(Fit(card.SimilarCases[i].Caption, small, thumb), tx, ty + thumb + 16, SKTextAlign.Left, small, grey);
        }
    }

    /// <summary>Pixels are drawn 1:1 (already at display size), so sampling never blurs them.</summary>
    private static void Draw(SKCanvas canvas, RgbImage picture, float x, float y)
    {
        using var bitmap = picture.ToBitmap();
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, x, y, new SKSamplingOptions(SKFilterMode.Nearest), null);
    }

    /// <summary>Shortens text with an ellipsis so it never runs out of the panel.</summary>
    private static string Fit(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width)
        {
            return text;
        }
        while (text.Length > 1 && font.MeasureText(text + "…") > width)
        {
            text = text[..^1];
        }
        return text + "…";
    }
}
