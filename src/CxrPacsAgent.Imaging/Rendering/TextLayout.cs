using SkiaSharp;

namespace CxrPacsAgent.Imaging.Rendering;

/// <summary>Fitting text into the panel: shortening one line, or wrapping words onto several.</summary>
internal static class TextLayout
{
    /// <summary>Shortens text with an ellipsis so it never runs out of <paramref name="width"/>.</summary>
    public static string Fit(string text, SKFont font, float width)
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

    /// <summary>Breaks text at spaces into lines no wider than <paramref name="width"/> (a longer word is shortened).</summary>
    public static IEnumerable<string> Wrap(string text, SKFont font, float width)
    {
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (font.MeasureText(candidate) <= width)
            {
                line = candidate;
                continue;
            }
            if (line.Length > 0)
            {
                yield return line;
            }
            line = Fit(word, font, width);
        }
        if (line.Length > 0)
        {
            yield return line;
        }
    }
}
