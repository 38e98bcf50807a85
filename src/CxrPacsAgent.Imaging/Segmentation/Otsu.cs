namespace CxrPacsAgent.Imaging.Segmentation;

/// <summary>Otsu's threshold (maximum between-class variance) over [0,1] values, 256 bins.</summary>
internal static class Otsu
{
    public static float Threshold(IEnumerable<float> values)
    {
        var histogram = new double[256];
        double total = 0, sum = 0;
        foreach (var v in values)
        {
            var b = Math.Clamp((int)(v * 256), 0, 255);
            histogram[b]++;
            total++;
            sum += b;
        }
        double weightBelow = 0, sumBelow = 0, best = -1;
        var threshold = 128;
        for (var t = 0; t < 256; t++)
        {
            weightBelow += histogram[t];
            sumBelow += t * histogram[t];
            var weightAbove = total - weightBelow;
            if (weightBelow == 0 || weightAbove == 0)
            {
                continue;
            }
            var meanBelow = sumBelow / weightBelow;
            var meanAbove = (sum - sumBelow) / weightAbove;
            var between = weightBelow * weightAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (between > best)
            {
                best = between;
                threshold = t;
            }
        }
        return (threshold + 1) / 256f;
    }
}
