namespace CxrPacsAgent.Dicom.Imaging.Codecs.Rle;

/// <summary>RLE Lossless (PS3.5 Annex G): byte segments, each a PackBits-style run-length sequence (G.3.2).</summary>
public sealed class RleFrameDecoder : IDicomFrameDecoder
{
    public string Name => "RLE";

    public void Decode(ReadOnlySpan<byte> frame, PixelDescription description, Span<int> samples)
    {
        ArgumentNullException.ThrowIfNull(description);
        var count = RleHeader.SegmentCount(description, Name);
        var offsets = RleHeader.ReadOffsets(frame, count, Name);
        int bytesPerSample = description.BitsAllocated / 8, spp = description.SamplesPerPixel, pixels = description.PixelCount;
        samples.Clear();
        var plane = new byte[pixels];
        for (var s = 0; s < count; s++)
        {
            DecodeSegment(frame, offsets[s], offsets[s + 1], plane, s);
            // Segment s holds byte (s mod bytesPerSample), counted from the most significant, of sample s / bytesPerSample.
            var sample = s / bytesPerSample;
            var shift = 8 * (bytesPerSample - 1 - (s % bytesPerSample));
            for (var p = 0; p < pixels; p++)
            {
                samples[(p * spp) + sample] |= plane[p] << shift;
            }
        }
    }

    // A byte n in 0..127 copies the next n+1 bytes; −1..−127 repeats the next byte 1−n times; −128 is a no-op (G.3.2).
    private void DecodeSegment(ReadOnlySpan<byte> frame, int start, int end, Span<byte> output, int segment)
    {
        var i = start;
        var o = 0;
        while (o < output.Length)
        {
            if (i >= end)
            {
                throw new DicomCodecException(Name, $"segment {segment + 1} decodes to {o} bytes; {output.Length} are needed", i);
            }
            var n = (sbyte)frame[i++];
            if (n >= 0)
            {
                var length = n + 1;
                if (i + length > end || o + length > output.Length)
                {
                    throw new DicomCodecException(Name, $"literal run of {length} bytes overruns segment {segment + 1} or the frame", i - 1);
                }
                frame.Slice(i, length).CopyTo(output[o..]);
                i += length;
                o += length;
            }
            else if (n != -128)
            {
                var length = 1 - n;
                if (i >= end || o + length > output.Length)
                {
                    throw new DicomCodecException(Name, $"replicate run of {length} bytes overruns segment {segment + 1} or the frame", i - 1);
                }
                output.Slice(o, length).Fill(frame[i++]);
                o += length;
            }
        }
    }
}
