using System.Runtime.CompilerServices;

namespace CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// Reads the entropy-coded segment of a T.81 scan MSB first, removing the stuffed 0x00 after each 0xFF (T.81 F.1.2.3).
/// At a marker or the end of the data it feeds zero bits and counts them, so a truncated stream cannot loop or read out
/// of range; <see cref="CheckNotTruncated"/> turns consumed padding into an error.
/// </summary>
internal ref struct JpegBitReader
{
    private readonly ReadOnlySpan<byte> data;
    private readonly string codec;
    private int position;
    private ulong buffer;
    private int bitCount;
    private int paddingBytes;
    private bool atMarker;

    public JpegBitReader(ReadOnlySpan<byte> data, int start, string codec)
    {
        this.data = data;
        this.codec = codec;
        position = start;
    }

    /// <summary>Offset of the next unread byte (the marker that ended the segment once it is reached).</summary>
    public readonly int Position => position;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Peek16()
    {
        if (bitCount < 16)
        {
            Fill();
        }
        return (int)(buffer >> 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Skip(int bits)
    {
        buffer <<= bits;
        bitCount -= bits;
    }

    /// <summary>Reads <paramref name="bits"/> (0–16) bits as an unsigned number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Receive(int bits)
    {
        if (bits == 0)
        {
            return 0;
        }
        if (bitCount < bits)
        {
            Fill();
        }
        var value = (int)(buffer >> (64 - bits));
        buffer <<= bits;
        bitCount -= bits;
        return value;
    }

    /// <summary>RECEIVE then EXTEND (T.81 F.2.2.1): <paramref name="bits"/> bits as a signed difference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReceiveExtend(int bits)
    {
        var value = Receive(bits);
        return bits == 0 ? 0 : value < (1 << (bits - 1)) ? value - (1 << bits) + 1 : value;
    }

    /// <summary>Fails when the decoder has used bits beyond the end of the segment.</summary>
    public readonly void CheckNotTruncated()
    {
        if (paddingBytes * 8 > bitCount)
        {
            throw new DicomCodecException(codec, "entropy-coded data ends before the last sample", position);
        }
    }

    /// <summary>
    /// At a restart interval's end: drops the fill bits and expects RSTn (T.81 F.1.2.3), then starts afresh.
    /// </summary>
    public void Restart(int expected)
    {
        CheckNotTruncated();
        buffer = 0;
        bitCount = 0;
        paddingBytes = 0;
        atMarker = false;
        // Fill bytes 0xFF may precede a marker (T.81 B.1.1.2).
        while (position + 1 < data.Length && data[position] == 0xFF && data[position + 1] == 0xFF)
        {
            position++;
        }
        if (position + 1 >= data.Length || data[position] != 0xFF || data[position + 1] != 0xD0 + expected)
        {
            throw new DicomCodecException(codec, $"restart marker RST{expected} expected", position);
        }
        position += 2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasFFByte(ulong v)
    {
        // A byte of v is 0xFF exactly when the same byte of ~v is zero (the classic "has zero byte" test).
        var x = ~v;
        return ((x - 0x0101010101010101UL) & ~x & 0x8080808080808080UL) != 0;
    }

    private void Fill()
    {
        // Fast path: eight bytes without 0xFF (most of the data) go in at once.
        if (!atMarker && position + 8 <= data.Length)
        {
            var chunk = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(data[position..]);
            if (!HasFFByte(chunk))
            {
                var bytes = (64 - bitCount) >> 3;
                var bits = chunk >> bitCount;
                var end = bitCount + (bytes << 3);
                if (end < 64)
                {
                    bits &= ~(ulong.MaxValue >> end);
                }
                buffer |= bits;
                bitCount = end;
                position += bytes;
                return;
            }
        }
        while (bitCount <= 56)
        {
            ulong b = 0;
            if (!atMarker && position < data.Length)
            {
                var current = data[position];
                if (current != 0xFF)
                {
                    b = current;
                    position++;
                }
                else if (position + 1 < data.Length && data[position + 1] == 0x00)
                {
                    b = 0xFF;
                    position += 2;
                }
                else
                {
                    atMarker = true;
                    paddingBytes++;
                }
            }
            else
            {
                paddingBytes++;
            }
            buffer |= b << (56 - bitCount);
            bitCount += 8;
        }
    }
}
