using CxrPacsAgent.Imaging;

namespace CxrPacsAgent.Inference.Tests.TestSupport;

/// <summary>Dice of a lung probability map (thresholded at 0.5) against a reference mask, as the toolkit measures it.</summary>
internal static class LungDice
{
    public static double Of(GrayImage map, GrayImage reference, float referenceThreshold)
    {
        long both = 0, a = 0, b = 0;
        for (var i = 0; i < map.Pixels.Length; i++)
        {
            bool x = map.Pixels[i] >= 0.5f, y = reference.Pixels[i] >= referenceThreshold;
            a += x ? 1 : 0;
            b += y ? 1 : 0;
            both += x && y ? 1 : 0;
        }
        return 2.0 * both / (a + b);
    }
}
