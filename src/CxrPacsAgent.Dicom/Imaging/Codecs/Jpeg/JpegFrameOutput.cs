namespace CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// Turns a decoded T.81 frame's component planes into pixel-interleaved samples: checks the frame against the data
/// set, brings subsampled components up to full size, and converts YCbCr to RGB (T.871 equations) when asked.
/// Both steps are done in the fixed point of the IJG library that DCMTK decodes with, so DCT images come out exactly
/// as dcmdjpeg writes them: components halved horizontally (4:2:2) or in both directions (4:2:0) are interpolated
/// with weights 3/4 and 1/4 between the chroma sample centres ("fancy upsampling", with its alternating rounding
/// bias), other factors (4:1:1) are replicated.
/// </summary>
internal static class JpegFrameOutput
{
    /// <summary>Decodes a T.81 stream of any supported process into pixel-interleaved samples.</summary>
    public static void Decode(ReadOnlySpan<byte> data, PixelDescription description, Span<int> samples, string codec)
    {
        ArgumentNullException.ThrowIfNull(description);
        var decoder = new JpegDecoder(codec, description);
        decoder.Decode(data);
        // Colour transforms belong to the DCT processes; lossless YBR data is left as coded.
        var toRgb = decoder.Frame is { IsLossless: false } && (IsYbr(description.PhotometricInterpretation)
            || (description.PhotometricInterpretation == "RGB" && decoder.AdobeTransform == 1));
        Write(decoder, description, samples, toRgb, codec);
    }

    public static bool IsYbr(string photometric) => photometric is "YBR_FULL" or "YBR_FULL_422";

    private static void Write(JpegDecoder decoder, PixelDescription description, Span<int> samples, bool toRgb, string codec)
    {
        var frame = decoder.Frame ?? throw new DicomCodecException(codec, "no frame header", 0);
        if (frame.Lines != description.Rows || frame.SamplesPerLine != description.Columns)
        {
            throw new DicomCodecException(codec,
                $"the JPEG frame is {frame.SamplesPerLine}×{frame.Lines}, the data set says {description.Columns}×{description.Rows}", 0);
        }
        if (frame.Components.Length != description.SamplesPerPixel)
        {
            throw new DicomCodecException(codec,
                $"the JPEG frame has {frame.Components.Length} components, the data set says {description.SamplesPerPixel} samples per pixel", 0);
        }
        if (frame.Components.Any(c => c.Plane.Length == 0))
        {
            throw new DicomCodecException(codec, "a component was never coded in any scan", 0);
        }
        int width = frame.SamplesPerLine, height = frame.Lines, count = frame.Components.Length;
        int maxH = frame.MaxH, maxV = frame.MaxV;
        for (var c = 0; c < count; c++)
        {
            var component = frame.Components[c];
            var plane = component.Plane;
            var full = component.H == maxH && component.V == maxV;
            int fx = maxH / component.H, fy = maxV / component.V;
            // fx == 2 can only be an exact halving (factors are 1–4); fy == 1 also covers V = 2 of 3, hence the check.
            if (fx == 2 && (fy == 1 || fy == 2) && maxV == fy * component.V && (width + 1) / 2 > 2)
            {
                Interpolate(component, fy, width, height, samples, count, c);
                continue;
            }
            for (var y = 0; y < height; y++)
            {
                var sy = full ? y : y * component.V / maxV;
                var row = plane.AsSpan(sy * component.PlaneWidth, component.PlaneWidth);
                var o = y * width * count;
                if (full && count == 1)
                {
                    row[..width].CopyTo(samples.Slice(o, width));
                    continue;
                }
                for (var x = 0; x < width; x++)
                {
                    samples[o + (x * count) + c] = row[full ? x : x * component.H / maxH];
                }
            }
        }
        if (toRgb && count == 3)
        {
            YCbCrToRgb(samples, frame.Precision);
        }
    }

    // Horizontal halving: out[2i] = (3·s[i] + s[i-1] + 1) >> 2, out[2i+1] = (3·s[i] + s[i+1] + 2) >> 2. Halving in both
    // directions first sums columns vertically (3·near row + far row), then the same horizontally with biases 8 and 7
    // over 16. Edges repeat the outermost sample (row or column).
    private static void Interpolate(JpegComponent component, int fy, int width, int height, Span<int> samples,
        int count, int c)
    {
        var plane = component.Plane;
        var stride = component.PlaneWidth;
        int columns = (width + 1) / 2, rows = (height + fy - 1) / fy;
        Span<int> sums = columns <= 2048 ? stackalloc int[columns] : new int[columns];
        for (var y = 0; y < height; y++)
        {
            var near = plane.AsSpan((y / fy) * stride, columns);
            if (fy == 2)
            {
                var farRow = Math.Clamp((y & 1) == 0 ? (y / 2) - 1 : (y / 2) + 1, 0, rows - 1);
                var far = plane.AsSpan(farRow * stride, columns);
                for (var i = 0; i < columns; i++)
                {
                    sums[i] = (3 * near[i]) + far[i];
                }
            }
            else
            {
                near.CopyTo(sums);
            }
            int evenBias = fy == 2 ? 8 : 1, oddBias = fy == 2 ? 7 : 2, shift = fy == 2 ? 4 : 2;
            var o = (y * width * count) + c;
            for (var x = 0; x < width; x++)
            {
                var i = x >> 1;
                var value = (x & 1) == 0
                    ? ((3 * sums[i]) + sums[Math.Max(i - 1, 0)] + evenBias) >> shift
                    : ((3 * sums[i]) + sums[Math.Min(i + 1, columns - 1)] + oddBias) >> shift;
                samples[o + (x * count)] = value;
            }
        }
    }

    // T.871 with the IJG decoder's 16-bit fixed-point coefficients and rounding; results clamp to the sample range.
    private static void YCbCrToRgb(Span<int> samples, int precision)
    {
        const int ScaleBits = 16, Half = 1 << (ScaleBits - 1);
        const int CrToR = 91881, CbToB = 116130, CrToG = 46802, CbToG = 22554; // round(c · 2^16)
        var max = (1 << precision) - 1;
        var center = 1 << (precision - 1);
        for (var i = 0; i + 2 < samples.Length; i += 3)
        {
            int y = samples[i], cb = samples[i + 1] - center, cr = samples[i + 2] - center;
            samples[i] = Math.Clamp(y + (((CrToR * cr) + Half) >> ScaleBits), 0, max);
            samples[i + 1] = Math.Clamp(y + (((-CbToG * cb) + Half + (-CrToG * cr)) >> ScaleBits), 0, max);
            samples[i + 2] = Math.Clamp(y + (((CbToB * cb) + Half) >> ScaleBits), 0, max);
        }
    }
}
