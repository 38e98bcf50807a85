using System.Buffers.Binary;

namespace CxrPacsAgent.Dicom.Imaging.Codecs.Rle;

/// <summary>
/// The 64-byte RLE header (PS3.5 G.5): the number of segments (1–15) and each segment's offset from the frame start.
/// A pixel cell of n bytes gives n segments per sample, most significant byte first; samples follow in order (G.2).
/// </summary>
internal static class RleHeader
{
    public const int Length = 64;
    public const int MaxSegments = 15;

    public static int SegmentCount(PixelDescription description, string codec)
    {
        if (description.BitsAllocated % 8 != 0)
        {
            throw new DicomCodecException(codec, $"Bits Allocated {description.BitsAllocated} cannot be RLE coded", 0);
        }
        var count = description.SamplesPerPixel * (description.BitsAllocated / 8);
        if (count > MaxSegments)
        {
            throw new DicomCodecException(codec, $"{count} segments would be needed; RLE allows 15", 0);
        }
        return count;
    }

    public static int[] ReadOffsets(ReadOnlySpan<byte> frame, int expected, string codec)
    {
        if (frame.Length < Length)
        {
            throw new DicomCodecException(codec, $"the frame has {frame.Length} bytes, fewer than the 64-byte RLE header", 0);
        }
        var count = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (count != expected)
        {
            throw new DicomCodecException(codec, $"the header lists {count} segments; the pixel description needs {expected}", 0);
        }
        var offsets = new int[count + 1];
        for (var i = 0; i < count; i++)
        {
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 + (4 * i))..]);
            var previous = i == 0 ? Length : offsets[i - 1];
            if (offset < previous || offset > frame.Length || (i == 0 && offset != Length))
            {
                throw new DicomCodecException(codec, $"segment {i + 1} offset {offset} is out of order or outside the frame", 4 + (4 * i));
            }
            offsets[i] = (int)offset;
        }
        offsets[count] = frame.Length;
        return offsets;
    }

    public static void Write(Span<byte> header, ReadOnlySpan<int> offsets)
    {
        header[..Length].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)offsets.Length);
        for (var i = 0; i < offsets.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[(4 + (4 * i))..], (uint)offsets[i]);
        }
    }
}
