namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>Percentiles of [0,1] grey values from a fine histogram: O(n), deterministic, exact to 1/4096.</summary>
internal static class Percentiles
{
    private const int Bins = 4096;

    /// <summary>The values below which the fractions <paramref name="fractions"/> of the pixels lie.</summary>
    public static float[] Of(ReadOnlySpan<float> pixels, params ReadOnlySpan<double> fractions)
    {
        var histogram = new long[Bins];
        foreach (var p in pixels)
        {
            histogram[Bin(p)]++;
        }
        var result = new float[fractions.Length];
        for (var f = 0; f < fractions.Length; f++)
        {
            var target = fractions[f] * pixels.Length;
            long seen = 0;
            var bin = 0;
            for (; bin < Bins - 1; bin++)
            {
                seen += histogram[bin];
                if (seen > target)
                {
                    break;
                }
            }
            result[f] = (bin + 0.5f) / Bins;
        }
        return result;
    }

    private static int Bin(float v) => Math.Clamp((int)(v * Bins), 0, Bins - 1);
}
