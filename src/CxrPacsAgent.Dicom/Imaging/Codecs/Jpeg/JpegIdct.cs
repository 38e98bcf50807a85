namespace CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// The 8×8 inverse DCT of T.81 A.3.3, computed separably (rows, then columns) in single precision, which is well
/// inside the accuracy T.81 asks of a decoder; then the level shift and clamping to the sample precision.
/// </summary>
internal static class JpegIdct
{
    // Basis[u * 8 + x] = C(u)/2 · cos((2x+1)uπ/16), C(0) = 1/√2.
    private static readonly float[] Basis = CreateBasis();

    public static void Transform(ReadOnlySpan<int> coefficients, Span<int> output, int stride, int levelShift, int maxValue)
    {
        Span<float> temp = stackalloc float[64];
        var basis = Basis;
        // Rows: temp[v][x] = Σu basis[u][x] · F[v][u]; rows with only a DC term are the common case.
        for (var v = 0; v < 8; v++)
        {
            var row = coefficients.Slice(v * 8, 8);
            var acZero = (row[1] | row[2] | row[3] | row[4] | row[5] | row[6] | row[7]) == 0;
            if (acZero)
            {
                var dc = row[0] * basis[0];
                temp.Slice(v * 8, 8).Fill(dc);
                continue;
            }
            for (var x = 0; x < 8; x++)
            {
                var sum = 0f;
                for (var u = 0; u < 8; u++)
                {
                    sum += basis[(u * 8) + x] * row[u];
                }
                temp[(v * 8) + x] = sum;
            }
        }
        // Columns: f[y][x] = Σv basis[v][y] · temp[v][x].
        for (var y = 0; y < 8; y++)
        {
            var line = output.Slice(y * stride, 8);
            for (var x = 0; x < 8; x++)
            {
                var sum = 0f;
                for (var v = 0; v < 8; v++)
                {
                    sum += basis[(v * 8) + y] * temp[(v * 8) + x];
                }
                var value = (int)MathF.Round(sum, MidpointRounding.AwayFromZero) + levelShift;
                line[x] = value < 0 ? 0 : value > maxValue ? maxValue : value;
            }
        }
    }

    private static float[] CreateBasis()
    {
        var basis = new float[64];
        for (var u = 0; u < 8; u++)
        {
            for (var x = 0; x < 8; x++)
            {
                var c = u == 0 ? 1 / Math.Sqrt(2) : 1.0;
                basis[(u * 8) + x] = (float)(c / 2 * Math.Cos(((2 * x) + 1) * u * Math.PI / 16));
            }
        }
        return basis;
    }
}
