namespace CxrPacsAgent.Dicom.Imaging.Codecs.Rle;

/// <summary>
/// RLE Lossless encoder (PS3.5 G.3.1): one segment per byte of each sample, each row coded on its own so that no run
/// crosses a row boundary; replicate runs of 2–128 equal bytes, literal runs of up to 128 otherwise.
/// </summary>
public sealed class RleFrameEncoder : IDicomFrameEncoder
{
    public string Name => "RLE";

    public byte[] Encode(ReadOnlySpan<int> samples, PixelDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var count = RleHeader.SegmentCount(description, Name);
        int bytesPerSample = description.BitsAllocated / 8, spp = description.SamplesPerPixel;
        int columns = description.Columns, rows = description.Rows;
        if (samples.Length != description.SampleCount)
        {
            throw new ArgumentException($"{samples.Length} samples given; the frame has {description.SampleCount}", nameof(samples));
        }
        using var output = new MemoryStream((description.PixelCount * count) + RleHeader.Length);
        output.Write(new byte[RleHeader.Length]);
        var offsets = new int[count];
        var row = new byte[columns];
        var packed = new byte[columns + ((columns + 127) / 128) + 1];
        for (var s = 0; s < count; s++)
        {
            offsets[s] = (int)output.Position;
            var sample = s / bytesPerSample;
            var shift = 8 * (bytesPerSample - 1 - (s % bytesPerSample));
            for (var y = 0; y < rows; y++)
            {
                var o = y * columns * spp;
                for (var x = 0; x < columns; x++)
                {
                    row[x] = (byte)(samples[o + (x * spp) + sample] >> shift);
                }
                output.Write(packed, 0, PackRow(row, packed));
            }
            if ((output.Position & 1) != 0)
            {
                output.WriteByte(0); // segments are even length (G.3.1); decoders stop at the pixel count
            }
        }
        var bytes = output.ToArray();
        RleHeader.Write(bytes, offsets);
        return bytes;
    }

    private static int PackRow(ReadOnlySpan<byte> row, Span<byte> packed)
    {
        int i = 0, o = 0;
        while (i < row.Length)
        {
            var run = RunLength(row, i);
            if (run >= 2)
            {
                packed[o++] = (byte)(sbyte)(1 - run);
                packed[o++] = row[i];
                i += run;
                continue;
            }
            // Literal: up to the next run of three or more, which is cheaper as a replicate run.
            var start = i;
            while (i < row.Length && i - start < 128 && (i == start || RunLength(row, i) < 3))
            {
                i++;
            }
            packed[o++] = (byte)(i - start - 1);
            row[start..i].CopyTo(packed[o..]);
            o += i - start;
        }
        return o;
    }

    private static int RunLength(ReadOnlySpan<byte> row, int i)
    {
        var run = 1;
        while (i + run < row.Length && run < 128 && row[i + run] == row[i])
        {
            run++;
        }
        return run;
    }
}
