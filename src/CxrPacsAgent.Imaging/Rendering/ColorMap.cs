namespace CxrPacsAgent.Imaging.Rendering;

/// <summary>A perceptually ordered blue→cyan→yellow→red ramp for heatmaps (no green/red-only cue, readable when colour-blind).</summary>
internal static class ColorMap
{
    private static readonly (float At, byte R, byte G, byte B)[] Stops =
    [
        (0.00f, 48, 18, 160),
        (0.35f, 30, 160, 220),
        (0.65f, 250, 230, 60),
        (1.00f, 220, 30, 20),
    ];

    public static (byte R, byte G, byte B) At(float v)
    {
        v = Math.Clamp(v, 0f, 1f);
        for (var i = 1; i < Stops.Length; i++)
        {
            if (v <= Stops[i].At)
            {
                var (a, b) = (Stops[i - 1], Stops[i]);
                var t = (v - a.At) / (b.At - a.At);
                return (Lerp(a.R, b.R, t), Lerp(a.G, b.G, t), Lerp(a.B, b.B, t));
            }
        }
        return (Stops[^1].R, Stops[^1].G, Stops[^1].B);
    }

    private static byte Lerp(byte a, byte b, float t) => (byte)Math.Round(a + ((b - a) * t));
}
