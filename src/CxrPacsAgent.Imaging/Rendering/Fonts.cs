using SkiaSharp;

namespace CxrPacsAgent.Imaging.Rendering;

/// <summary>
/// The shipped DejaVu Sans (assets/fonts, copied beside the binaries). SkiaSharp on Linux finds no system fonts and then
/// draws text silently as nothing, so the font is loaded from a file and checked to have glyphs.
/// </summary>
public static class Fonts
{
    private static readonly Lazy<SKTypeface> RegularFace = new(() => Load("DejaVuSans.ttf"));
    private static readonly Lazy<SKTypeface> BoldFace = new(() => Load("DejaVuSans-Bold.ttf"));

    public static SKTypeface Regular => RegularFace.Value;

    public static SKTypeface Bold => BoldFace.Value;

    /// <summary>Where the fonts are looked for: a "fonts" folder beside this assembly.</summary>
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "fonts");

    private static SKTypeface Load(string file)
    {
        var path = Path.Combine(Directory, file);
        var face = File.Exists(path) ? SKTypeface.FromFile(path) : null;
        if (face is null || face.GlyphCount == 0)
        {
            throw new FileNotFoundException($"The font {path} is missing or has no glyphs; text would not be drawn.", path);
        }
        return face;
    }
}
