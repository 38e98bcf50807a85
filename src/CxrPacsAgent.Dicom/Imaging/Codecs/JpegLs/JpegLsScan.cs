namespace CxrPacsAgent.Dicom.Imaging.Codecs.JpegLs;

/// <summary>
/// Decodes one JPEG-LS scan (T.87 Annex A): context modelling of the local gradients, median edge detection,
/// bias-corrected prediction and limited-length Golomb codes in regular mode; run mode with run interruption samples
/// where the neighbourhood is flat. All three interleave modes: none, line and sample (T.87 B.3).
/// </summary>
internal sealed class JpegLsScan
{
    private const string Codec = "JPEG-LS";
    private const int RegularContexts = 365;
    private const int MinC = -128;
    private const int MaxC = 127;

    // J[RUNindex], the run-length order table of T.87 A.7.1.1.
    private static ReadOnlySpan<byte> J => [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    private readonly JpegLsParameters p;
    private readonly int[] a = new int[RegularContexts + 2];
    private readonly int[] b = new int[RegularContexts + 2];
    private readonly int[] c = new int[RegularContexts + 2];
    private readonly int[] n = new int[RegularContexts + 2];
    private readonly int[] nn = new int[2];

    // Quantized gradient of every difference −Range..Range (A.3.3), looked up instead of compared per sample.
    private readonly sbyte[] quantized;
    private readonly int quantizedOffset;

    public JpegLsScan(JpegLsParameters parameters)
    {
        p = parameters;
        quantizedOffset = p.MaxVal + 1;
        quantized = new sbyte[(2 * quantizedOffset) + 1];
        for (var d = -quantizedOffset; d <= quantizedOffset; d++)
        {
            quantized[d + quantizedOffset] = (sbyte)QuantizeSlow(d);
        }
        var initialA = Math.Max(2, (p.Range + 32) / 64);
        Array.Fill(a, initialA);
        Array.Fill(n, 1);
    }

    /// <summary>
    /// Decodes the scan's <paramref name="components"/> (indices into the pixel) into <paramref name="samples"/>;
    /// returns the offset of the marker after the scan.
    /// </summary>
    public int Decode(ReadOnlySpan<byte> data, int start, int width, int height, int samplesPerPixel,
        int[] components, int pointTransform, bool sampleInterleaved, Span<int> samples)
    {
        var reader = new JpegLsBitReader(data, start);
        var count = components.Length;
        // Each component keeps the previous and current line with one sample of margin on each side (A.2.1).
        var previous = new int[count][];
        var current = new int[count][];
        var runIndex = new int[count];
        for (var k = 0; k < count; k++)
        {
            previous[k] = new int[width + 2];
            current[k] = new int[width + 2];
        }
        for (var y = 0; y < height; y++)
        {
            for (var k = 0; k < count; k++)
            {
                current[k][0] = previous[k][1];
                previous[k][width + 1] = previous[k][width];
            }
            if (sampleInterleaved)
            {
                DecodeInterleavedLine(ref reader, previous, current, width, ref runIndex[0]);
            }
            for (var k = 0; k < count; k++)
            {
                var prev = previous[k];
                var cur = current[k];
                if (!sampleInterleaved)
                {
                    DecodeLine(ref reader, prev, cur, width, ref runIndex[k]);
                }
                var o = (y * width * samplesPerPixel) + components[k];
                for (var x = 0; x < width; x++)
                {
                    samples[o + (x * samplesPerPixel)] = cur[x + 1] << pointTransform;
                }
                previous[k] = cur;
                current[k] = prev;
            }
            reader.CheckNotTruncated();
        }
        var position = Math.Max(start, reader.Position - 1);
        while (position + 1 < data.Length && !(data[position] == 0xFF && data[position + 1] >= 0x80))
        {
            position++;
        }
        return position + 1 < data.Length ? position : data.Length;
    }

    private void DecodeLine(ref JpegLsBitReader reader, int[] prev, int[] cur, int width, ref int runIndex)
    {
        var near = p.Near;
        for (var x = 1; x <= width;)
        {
            int ra = cur[x - 1], rb = prev[x], rc = prev[x - 1], rd = prev[x + 1];
            int d1 = rd - rb, d2 = rb - rc, d3 = rc - ra;
            if (Math.Abs(d1) <= near && Math.Abs(d2) <= near && Math.Abs(d3) <= near)
            {
                x += DecodeRun(ref reader, prev, cur, x, width, ref runIndex);
                continue;
            }
            cur[x] = DecodeRegular(ref reader, Quantize(d1), Quantize(d2), Quantize(d3), ra, rb, rc);
            x++;
        }
    }

    private int DecodeRegular(ref JpegLsBitReader reader, int q1, int q2, int q3, int ra, int rb, int rc)
    {
        // Context and its sign (A.3.4): the first non-zero of (Q1, Q2, Q3) is made positive.
        var q = (((q1 * 9) + q2) * 9) + q3;
        var sign = 1;
        if (q < 0)
        {
            sign = -1;
            q = -q;
        }
        // Median edge detector (A.4.1) and bias correction (A.4.2).
        int px;
        if (rc >= Math.Max(ra, rb))
        {
            px = Math.Min(ra, rb);
        }
        else if (rc <= Math.Min(ra, rb))
        {
            px = Math.Max(ra, rb);
        }
        else
        {
            px = ra + rb - rc;
        }
        px += sign * c[q];
        px = px < 0 ? 0 : px > p.MaxVal ? p.MaxVal : px;
        var k = 0;
        while ((n[q] << k) < a[q] && k < 24)
        {
            k++;
        }
        var mErrval = ReadGolomb(ref reader, k, p.Limit);
        // Inverse error mapping (A.5.2), with the special mapping for k = 0 in lossless coding.
        var m = mErrval ^ (p.Near == 0 && k == 0 && 2 * b[q] <= -n[q] ? 1 : 0);
        var errval = (m & 1) != 0 ? -((m + 1) >> 1) : m >> 1;
        UpdateRegular(q, errval);
        return Reconstruct(px, sign * errval);
    }

    private void UpdateRegular(int q, int errval)
    {
        // A.6.1 then the bias cancellation of A.6.2.
        b[q] += errval * ((2 * p.Near) + 1);
        a[q] += Math.Abs(errval);
        if (n[q] == p.Reset)
        {
            a[q] >>= 1;
            b[q] >>= 1;
            n[q] >>= 1;
        }
        n[q]++;
        if (b[q] <= -n[q])
        {
            b[q] += n[q];
            if (c[q] > MinC)
            {
                c[q]--;
            }
            if (b[q] <= -n[q])
            {
                b[q] = -n[q] + 1;
            }
        }
        else if (b[q] > 0)
        {
            b[q] -= n[q];
            if (c[q] < MaxC)
            {
                c[q]++;
            }
            if (b[q] > 0)
            {
                b[q] = 0;
            }
        }
    }

    // Run mode (A.7): runs of Ra coded in segments of 2^J[RUNindex], then the sample that interrupts the run.
    private int DecodeRun(ref JpegLsBitReader reader, int[] prev, int[] cur, int x, int width, ref int runIndex)
    {
        var ra = cur[x - 1];
        var remaining = width - x + 1;
        var count = ReadRunLength(ref reader, remaining, ref runIndex);
        cur.AsSpan(x, count).Fill(ra);
        if (count == remaining)
        {
            return count;
        }
        var i = x + count;
        cur[i] = DecodeRunInterruption(ref reader, ra, prev[i], runIndex, Math.Abs(ra - prev[i]) <= p.Near ? 1 : 0);
        if (runIndex > 0)
        {
            runIndex--;
        }
        return count + 1;
    }

    private int ReadRunLength(ref JpegLsBitReader reader, int remaining, ref int runIndex)
    {
        var count = 0;
        while (count < remaining && reader.ReadBit() == 1)
        {
            var segment = Math.Min(1 << J[runIndex], remaining - count);
            count += segment;
            if (segment == 1 << J[runIndex] && runIndex < 31)
            {
                runIndex++;
            }
        }
        if (count < remaining)
        {
            count += reader.Read(J[runIndex]);
            if (count >= remaining)
            {
                throw new DicomCodecException(Codec, "run length passes the end of the line", reader.Position);
            }
        }
        return count;
    }

    /// <summary>
    /// Sample-interleaved lines (ILV 2, T.87 B.3): the components of a pixel are coded in turn with shared contexts; run
    /// mode needs every component's gradients flat, runs whole pixels, and codes each interrupting sample against Rb.
    /// </summary>
    private void DecodeInterleavedLine(ref JpegLsBitReader reader, int[][] prev, int[][] cur, int width, ref int runIndex)
    {
        var count = cur.Length;
        Span<int> q1 = stackalloc int[count], q2 = stackalloc int[count], q3 = stackalloc int[count];
        for (var x = 1; x <= width;)
        {
            var flat = true;
            for (var k = 0; k < count; k++)
            {
                int ra = cur[k][x - 1], rb = prev[k][x], rc = prev[k][x - 1], rd = prev[k][x + 1];
                q1[k] = Quantize(rd - rb);
                q2[k] = Quantize(rb - rc);
                q3[k] = Quantize(rc - ra);
                flat &= q1[k] == 0 && q2[k] == 0 && q3[k] == 0;
            }
            if (!flat)
            {
                for (var k = 0; k < count; k++)
                {
                    cur[k][x] = DecodeRegular(ref reader, q1[k], q2[k], q3[k], cur[k][x - 1], prev[k][x], prev[k][x - 1]);
                }
                x++;
                continue;
            }
            var remaining = width - x + 1;
            var run = ReadRunLength(ref reader, remaining, ref runIndex);
            for (var k = 0; k < count; k++)
            {
                cur[k].AsSpan(x, run).Fill(cur[k][x - 1]);
            }
            if (run == remaining)
            {
                return;
            }
            var i = x + run;
            for (var k = 0; k < count; k++)
            {
                cur[k][i] = DecodeRunInterruption(ref reader, cur[k][i - 1], prev[k][i], runIndex, 0);
            }
            if (runIndex > 0)
            {
                runIndex--;
            }
            x = i + 1;
        }
    }

    private int DecodeRunInterruption(ref JpegLsBitReader reader, int ra, int rb, int runIndex, int riType)
    {
        var q = RegularContexts + riType;
        var px = riType == 1 ? ra : rb;
        var temp = riType == 0 ? a[q] : a[q] + (n[q] >> 1);
        var k = 0;
        while ((n[q] << k) < temp && k < 24)
        {
            k++;
        }
        var emErrval = ReadGolomb(ref reader, k, p.Limit - J[runIndex] - 1);
        // Inverse of EMErrval = 2|Errval| − RItype − map (A.7.2.1).
        var t = emErrval + riType;
        var map = t & 1;
        var magnitude = (t + map) >> 1;
        var positiveWhenMapped = k == 0 && 2 * nn[riType] < n[q];
        var errval = (map == 1) != positiveWhenMapped ? -magnitude : magnitude;
        // A.7.2.2
        if (errval < 0)
        {
            nn[riType]++;
        }
        a[q] += (emErrval + 1 - riType) >> 1;
        if (n[q] == p.Reset)
        {
            a[q] >>= 1;
            n[q] >>= 1;
            nn[riType] >>= 1;
        }
        n[q]++;
        if (riType == 0 && ra > rb)
        {
            errval = -errval;
        }
        return Reconstruct(px, errval);
    }

    // Limited-length Golomb code (A.5.3): a unary prefix, then k bits; the escape prefix is followed by qbpp bits.
    private int ReadGolomb(ref JpegLsBitReader reader, int k, int limit)
    {
        var escape = limit - p.Qbpp - 1;
        if (escape < 0)
        {
            throw new DicomCodecException(Codec, "LIMIT is too small for the sample range", reader.Position);
        }
        var prefix = reader.ReadUnary(escape);
        return prefix < escape ? (prefix << k) + reader.Read(k) : reader.Read(p.Qbpp) + 1;
    }

    private int Reconstruct(int px, int errval)
    {
        var step = (2 * p.Near) + 1;
        var rx = px + (errval * step);
        if (rx < -p.Near)
        {
            rx += p.Range * step;
        }
        else if (rx > p.MaxVal + p.Near)
        {
            rx -= p.Range * step;
        }
        return rx < 0 ? 0 : rx > p.MaxVal ? p.MaxVal : rx;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private int Quantize(int d) => quantized[d + quantizedOffset];

    // Gradient quantization (A.3.3).
    private int QuantizeSlow(int d)
    {
        if (d <= -p.T3)
        {
            return -4;
        }
        if (d <= -p.T2)
        {
            return -3;
        }
        if (d <= -p.T1)
        {
            return -2;
        }
        if (d < -p.Near)
        {
            return -1;
        }
        if (d <= p.Near)
        {
            return 0;
        }
        return d < p.T1 ? 1 : d < p.T2 ? 2 : d < p.T3 ? 3 : 4;
    }
}
