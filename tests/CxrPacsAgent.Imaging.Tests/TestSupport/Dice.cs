namespace CxrPacsAgent.Imaging.Tests.TestSupport;

/// <summary>Dice overlap 2|A∩B| / (|A|+|B|) of two maps, each thresholded at 0.5.</summary>
internal static class Dice
{
    public static double Of(GrayImage a, GrayImage b)
    {
        long both = 0, sa = 0, sb = 0;
        for (var i = 0; i < a.Pixels.Length; i++)
        {
            var x = a.Pixels[i] >= 0.5f;
            var y = b.Pixels[i] >= 0.5f;
            sa += x ? 1 : 0;
            sb += y ? 1 : 0;
            both += x && y ? 1 : 0;
        }
        return sa + sb == 0 ? 1 : 2.0 * both / (sa + sb);
    }
}
