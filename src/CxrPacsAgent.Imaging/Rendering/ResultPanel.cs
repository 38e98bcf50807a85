using System.Globalization;
using SkiaSharp;
using CxrPacsAgent.Imaging.Preprocessing;

namespace CxrPacsAgent.Imaging.Rendering;

/// <summary>
/// The right-hand panel of the Secondary Capture picture: score, call, threshold, model, legend, notes, then the most
/// similar earlier cases as thumbnails with their similarity. Sizes are for a picture viewed about 1:1 (1080 rows).
/// </summary>
internal static class ResultPanel
{
    private const int Margin = 18;
    private const int Thumb = 112;
    private const int PerRow = 3;
    private const int MaxThumbs = 6;

    private static readonly SKColor Grey = new(190, 190, 190);
    private static readonly SKColor Positive = new(255, 120, 90);
    private static readonly SKColor Caution = new(255, 200, 70);

    public static void Draw(SKCanvas canvas, ResultCard card, int left, int top, int height)
    {
        var x = left + Margin;
        var width = SecondaryCaptureRenderer.Panel - (2 * Margin);
        var y = top + Margin + 20f;
        using var regular = new SKFont(Fonts.Regular, 20);
        using var large = new SKFont(Fonts.Bold, 44);
        using var bold = new SKFont(Fonts.Bold, 26);
        using var small = new SKFont(Fonts.Regular, 16);
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        using var grey = new SKPaint { Color = Grey, IsAntialias = true };
        using var call = new SKPaint { Color = card.Positive ? Positive : SKColors.White, IsAntialias = true };
        using var caution = new SKPaint { Color = Caution, IsAntialias = true };
        var culture = CultureInfo.InvariantCulture;

        canvas.DrawText("AI result (research)", x, y, SKTextAlign.Left, regular, grey);
        y += 52;
        canvas.DrawText("score " + card.Score.ToString("0.00", culture), x, y, SKTextAlign.Left, large, white);
        y += 38;
        canvas.DrawText(TextLayout.Fit(card.Label, bold, width), x, y, SKTextAlign.Left, bold, call);
        y += 30;
        canvas.DrawText($"threshold {card.Threshold.ToString("0.00", culture)}", x, y, SKTextAlign.Left, regular, grey);
        y += 28;
        canvas.DrawText(TextLayout.Fit($"{card.ModelName} {card.ModelVersion}", regular, width), x, y, SKTextAlign.Left, regular, grey);
        y += 34;
        var (r, g, b) = SecondaryCaptureRenderer.OutlineColor;
        using var outline = new SKPaint { Color = new SKColor(r, g, b), IsAntialias = true };
        canvas.DrawText("— lung outline (automatic)", x, y, SKTextAlign.Left, small, outline);
        if (card.Heatmap is not null)
        {
            y += 24;
            y = DrawHeatLegend(canvas, x, y, small, grey);
        }
        y += 14;
        foreach (var note in card.Notes)
        {
            foreach (var line in TextLayout.Wrap(note, small, width))
            {
                y += 22;
                canvas.DrawText(line, x, y, SKTextAlign.Left, small, caution);
            }
            y += 6;
        }
        DrawSimilarCases(canvas, card.SimilarCases, x, y + 40, width, top + height, regular, small, white, grey);
    }

    /// <summary>The colour ramp with its meaning, so the map reads as "where the score comes from", not as disease.</summary>
    private static float DrawHeatLegend(SKCanvas canvas, float x, float y, SKFont font, SKPaint text)
    {
        const int rampWidth = 90;
        for (var i = 0; i < rampWidth; i++)
        {
            var (r, g, b) = ColorMap.At(0.15f + (0.85f * i / (rampWidth - 1)));
            using var paint = new SKPaint { Color = new SKColor(r, g, b) };
            canvas.DrawRect(x + i, y - 12, 1, 14, paint);
        }
        canvas.DrawText("where the score comes from", x + rampWidth + 8, y, SKTextAlign.Left, font, text);
        return y;
    }

    private static void DrawSimilarCases(SKCanvas canvas, IReadOnlyList<CaseThumbnail> cases, float x, float y, int width, int bottom,
        SKFont regular, SKFont small, SKPaint white, SKPaint grey)
    {
        if (cases.Count == 0)
        {
            return;
        }
        canvas.DrawText("Most similar earlier cases", x, y, SKTextAlign.Left, regular, white);
        y += 14;
        var gap = (width - (PerRow * Thumb)) / (PerRow - 1);
        var culture = CultureInfo.InvariantCulture;
        for (var i = 0; i < cases.Count && i < MaxThumbs; i++)
        {
            var (tx, ty) = (x + ((i % PerRow) * (Thumb + gap)), y + ((i / PerRow) * (Thumb + 50)));
            if (ty + Thumb + 44 > bottom)
            {
                break;
            }
            var shown = AspectResize.Apply(cases[i].Thumbnail, Thumb, 0);
            SecondaryCaptureRenderer.Draw(canvas, SecondaryCaptureRenderer.Composite(shown, null, null, Thumb, Thumb), tx, ty);
            canvas.DrawText("similarity " + cases[i].Similarity.ToString("0.00", culture), tx, ty + Thumb + 18, SKTextAlign.Left, small, white);
            canvas.DrawText(TextLayout.Fit(cases[i].Caption, small, Thumb + gap - 4), tx, ty + Thumb + 38, SKTextAlign.Left, small, grey);
        }
    }
}
