namespace CxrPacsAgent.Dicom.Imaging.Codecs.JpegLs;

/// <summary>
/// The coding parameters of a T.87 scan: MAXVAL, NEAR, the gradient thresholds T1–T3 and RESET, with the defaults of
/// T.87 C.2.4.1.1 where LSE gave none, and the quantities derived from them (RANGE, qbpp, LIMIT; A.2.1).
/// </summary>
internal sealed class JpegLsParameters
{
    public JpegLsParameters(int precision, int near, int maxVal, int t1, int t2, int t3, int reset)
    {
        Near = near;
        MaxVal = maxVal > 0 ? maxVal : (1 << precision) - 1;
        Reset = reset > 0 ? reset : 64;
        var defaults = DefaultThresholds(MaxVal, near);
        T1 = t1 > 0 ? t1 : defaults.T1;
        T2 = t2 > 0 ? t2 : defaults.T2;
        T3 = t3 > 0 ? t3 : defaults.T3;
        Range = ((MaxVal + (2 * near)) / ((2 * near) + 1)) + 1;
        Qbpp = Log2Ceiling(Range);
        var bpp = Math.Max(2, Log2Ceiling(MaxVal + 1));
        Limit = 2 * (bpp + Math.Max(8, bpp));
    }

    public int Near { get; }

    public int MaxVal { get; }

    public int T1 { get; }

    public int T2 { get; }

    public int T3 { get; }

    public int Reset { get; }

    public int Range { get; }

    public int Qbpp { get; }

    public int Limit { get; }

    private static (int T1, int T2, int T3) DefaultThresholds(int maxVal, int near)
    {
        const int Basic1 = 3, Basic2 = 7, Basic3 = 21;
        if (maxVal >= 128)
        {
            var factor = (Math.Min(maxVal, 4095) + 128) / 256;
            var t1 = Clamp((factor * (Basic1 - 2)) + 2 + (3 * near), near + 1, maxVal);
            var t2 = Clamp((factor * (Basic2 - 3)) + 3 + (5 * near), t1, maxVal);
            return (t1, t2, Clamp((factor * (Basic3 - 4)) + 4 + (7 * near), t2, maxVal));
        }
        else
        {
            var factor = 256 / (maxVal + 1);
            var t1 = Clamp(Math.Max(2, (Basic1 / factor) + (3 * near)), near + 1, maxVal);
            var t2 = Clamp(Math.Max(3, (Basic2 / factor) + (5 * near)), t1, maxVal);
            return (t1, t2, Clamp(Math.Max(4, (Basic3 / factor) + (7 * near)), t2, maxVal));
        }
    }

    private static int Clamp(int i, int j, int maxVal) => i > maxVal || i < j ? j : i;

    private static int Log2Ceiling(int n)
    {
        var bits = 0;
        while ((1 << bits) < n)
        {
            bits++;
        }
        return bits;
    }
}
