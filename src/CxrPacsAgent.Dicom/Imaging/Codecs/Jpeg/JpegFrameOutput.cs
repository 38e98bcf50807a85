namespace CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// Turns a decoded T.81 frame's component planes into pixel-interleaved samples: checks the frame against the data
/// set, brings subsampled components up to full size, and converts YCbCr to RGB (T.871 / JFIF equations) when asked.
/// Components subsampled by 2 are interpolated linearly between the chroma sample centres (sited midway between two
/// luma samples, as JFIF places them), which is what decoders commonly do; other factors are replicated.
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
            if (!full && (maxH == component.H || maxH == 2 * component.H) && (maxV == component.V || maxV == 2 * component.V))
            {
                Interpolate(component, maxH / component.H, maxV / component.V, width, height, samples, count, c);
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

    // Bilinear interpolation with weights 3/4 and 1/4 per halved axis; edges repeat the outermost sample.
    private static void Interpolate(JpegComponent component, int fx, int fy, int width, int height, Span<int> samples,
        int count, int c)
    {
        var plane = component.Plane;
        var stride = component.PlaneWidth;
        int columns = (width + fx - 1) / fx, rows = (height + fy - 1) / fy;
        for (var y = 0; y < height; y++)
        {
            int nearRow = y / fy, farRow = nearRow;
            if (fy == 2)
            {
                farRow = Math.Clamp((y & 1) == 0 ? nearRow - 1 : nearRow + 1, 0, rows - 1);
            }
            var o = y * width * count;
            for (var x = 0; x < width; x++)
            {
                int nearColumn = x / fx, farColumn = nearColumn;
                if (fx == 2)
                {
                    farColumn = Math.Clamp((x & 1) == 0 ? nearColumn - 1 : nearColumn + 1, 0, columns - 1);
                }
                int nn = plane[(nearRow * stride) + nearColumn], nf = plane[(nearRow * stride) + farColumn];
                int fn = plane[(farRow * stride) + nearColumn], ff = plane[(farRow * stride) + farColumn];
                int value;
                if (fx == 2 && fy == 2)
                {
                    value = ((9 * nn) + (3 * nf) + (3 * fn) + ff + 8) >> 4;
                }
                else if (fx == 2)
                {
                    value = ((3 * nn) + nf + 2) >> 2;
                }
                else
                {
                    value = ((3 * nn) + fn + 2) >> 2;
                }
                samples[o + (x * count) + c] = value;
            }
        }
    }

    private static void YCbCrToRgb(Span<int> samples, int precision)
    {
        var max = (1 << precision) - 1;
        var center = 1 << (precision - 1);
        for (var i = 0; i + 2 < samples.Length; i += 3)
        {
            float y = samples[i], cb = samples[i + 1] - center, cr = samples[i + 2] - center;
            samples[i] = Clamp(y + (1.402f * cr), max);
            samples[i + 1] = Clamp(y - (0.344136f * cb) - (0.714136f * cr), max);
            samples[i + 2] = Clamp(y + (1.772f * cb), max);
        }
    }

    private static int Clamp(float value, int max)
    {
        var v = (int)MathF.Round(value, MidpointRounding.AwayFromZero);
        return v < 0 ? 0 : v > max ? max : v;
    }
}
