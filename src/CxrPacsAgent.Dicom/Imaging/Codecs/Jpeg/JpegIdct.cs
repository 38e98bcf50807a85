namespace CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// The 8×8 inverse DCT of T.81 A.3.3 in fixed point, factored as Loeffler, Ligtenberg and Moschytz (ICASSP 1989:
/// 12 multiplies, 32 adds per 1-D transform) with 13-bit constants, columns first, then rows. This is the
/// "accurate integer" IDCT of the IJG library that DCMTK (dcmdjpeg) uses, with the same scaling between passes and the
/// same rounding, so DCT images decode to exactly the samples DCMTK shows — T.81 alone allows ±1.
/// </summary>
internal static class JpegIdct
{
    private const int ConstBits = 13;

    // round(c · 2^13) of the rotation constants of the LL&M factorisation.
    private const int Fix0298631336 = 2446;
    private const int Fix0390180644 = 3196;
    private const int Fix0541196100 = 4433;
    private const int Fix0765366865 = 6270;
    private const int Fix0899976223 = 7373;
    private const int Fix1175875602 = 9633;
    private const int Fix1501321110 = 12299;
    private const int Fix1847759065 = 15137;
    private const int Fix1961570560 = 16069;
    private const int Fix2053119869 = 16819;
    private const int Fix2562915447 = 20995;
    private const int Fix3072711026 = 25172;

    /// <summary>
    /// Transforms one block of dequantized coefficients (natural order) into samples of <paramref name="precision"/>
    /// bits at <paramref name="output"/> (row pitch <paramref name="stride"/>), level-shifted and range-limited.
    /// </summary>
    public static void Transform(ReadOnlySpan<int> coefficients, Span<int> output, int stride, int precision)
    {
        // Two fraction bits survive the first pass for 8-bit samples, one for 12-bit (keeps 32-bit sums in range).
        var pass1Bits = precision <= 8 ? 2 : 1;
        Span<int> work = stackalloc int[64];
        for (var column = 0; column < 8; column++)
        {
            var c = coefficients[column..];
            if ((c[8] | c[16] | c[24] | c[32] | c[40] | c[48] | c[56]) == 0)
            {
                // Only a DC term: the column is flat (the full computation gives the same value).
                var dc = c[0] << pass1Bits;
                for (var row = 0; row < 8; row++)
                {
                    work[(row * 8) + column] = dc;
                }
                continue;
            }
            OneDimensional(c[0], c[8], c[16], c[24], c[32], c[40], c[48], c[56], work[column..], 8,
                ConstBits - pass1Bits);
        }
        var shift = ConstBits + pass1Bits + 3;
        Span<int> row8 = stackalloc int[8];
        for (var row = 0; row < 8; row++)
        {
            var w = work.Slice(row * 8, 8);
            var line = output.Slice(row * stride, 8);
            if ((w[1] | w[2] | w[3] | w[4] | w[5] | w[6] | w[7]) == 0)
            {
                line.Fill(RangeLimit(Descale(w[0], pass1Bits + 3), precision));
                continue;
            }
            OneDimensional(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], row8, 1, shift);
            for (var x = 0; x < 8; x++)
            {
                line[x] = RangeLimit(row8[x], precision);
            }
        }
    }

    /// <summary>
    /// Level shift and clamp as the IJG decoder's post-IDCT table does: values up to 2^P away from the range clamp to
    /// its ends; values wildly out of range (corrupt streams) wrap modulo 2^(P+2) first, as there.
    /// </summary>
    internal static int RangeLimit(int value, int precision)
    {
        int n = 1 << precision, center = n >> 1;
        var t = value & ((4 * n) - 1);
        return t < center ? t + center
            : t < 2 * n ? n - 1
            : t < (4 * n) - center ? 0
            : t - ((4 * n) - center);
    }

    // One 8-point LL&M IDCT; writes the 8 results, descaled by `shift` bits, at out[0], out[step], …
    private static void OneDimensional(int s0, int s1, int s2, int s3, int s4, int s5, int s6, int s7, Span<int> result,
        int step, int shift)
    {
        // Even part: the rotation of coefficients 2 and 6, and the butterfly of 0 and 4.
        var z1 = (s2 + s6) * Fix0541196100;
        var tmp2 = z1 + (s6 * -Fix1847759065);
        var tmp3 = z1 + (s2 * Fix0765366865);
        var tmp0 = (s0 + s4) << ConstBits;
        var tmp1 = (s0 - s4) << ConstBits;
        int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

        // Odd part: coefficients 7, 5, 3, 1 through the shared rotation z5.
        int o0 = s7, o1 = s5, o2 = s3, o3 = s1;
        int a1 = o0 + o3, a2 = o1 + o2, a3 = o0 + o2, a4 = o1 + o3;
        var z5 = (a3 + a4) * Fix1175875602;
        o0 *= Fix0298631336;
        o1 *= Fix2053119869;
        o2 *= Fix3072711026;
        o3 *= Fix1501321110;
        a1 *= -Fix0899976223;
        a2 *= -Fix2562915447;
        a3 = (a3 * -Fix1961570560) + z5;
        a4 = (a4 * -Fix0390180644) + z5;
        o0 += a1 + a3;
        o1 += a2 + a4;
        o2 += a2 + a3;
        o3 += a1 + a4;

        result[0] = Descale(tmp10 + o3, shift);
        result[7 * step] = Descale(tmp10 - o3, shift);
        result[step] = Descale(tmp11 + o2, shift);
        result[6 * step] = Descale(tmp11 - o2, shift);
        result[2 * step] = Descale(tmp12 + o1, shift);
        result[5 * step] = Descale(tmp12 - o1, shift);
        result[3 * step] = Descale(tmp13 + o0, shift);
        result[4 * step] = Descale(tmp13 - o0, shift);
    }

    private static int Descale(int value, int bits) => (value + (1 << (bits - 1))) >> bits;
}
