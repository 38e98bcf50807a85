using System.Numerics;
using System.Runtime.CompilerServices;

namespace CxrPacsAgent.Dicom.Imaging.Codecs.JpegLs;

/// <summary>
/// Reads a T.87 scan's coded bits MSB first. After a 0xFF byte the encoder inserts a 0 bit, so the next byte carries
/// only 7 data bits; a byte with its top bit set after 0xFF is a marker (T.87 A.1). Past a marker or the end of the
/// data zeros are fed and counted, so corrupt input ends in an error, never a loop or an out-of-range read.
/// </summary>
internal ref struct JpegLsBitReader
{
    private const string Codec = "JPEG-LS";
    private readonly ReadOnlySpan<byte> data;
    private int position;
    private ulong buffer;
    private int bitCount;
    private int paddingBits;
    private bool previousWasFF;
    private bool atEnd;

    public JpegLsBitReader(ReadOnlySpan<byte> data, int start)
    {
        this.data = data;
        position = start;
    }

    public readonly int Position => position;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadBit()
    {
        if (bitCount < 1)
        {
            Fill();
        }
        var bit = (int)(buffer >> 63);
        buffer <<= 1;
        bitCount--;
        return bit;
    }

    /// <summary>Reads <paramref name="bits"/> (0–31) bits as an unsigned number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Read(int bits)
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

    /// <summary>Counts 0 bits up to the next 1 bit and consumes them with the 1; fails past <paramref name="limit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadUnary(int limit)
    {
        var zeros = 0;
        while (true)
        {
            if (bitCount < 32)
            {
                Fill();
            }
            var lead = buffer == 0 ? 64 : BitOperations.LeadingZeroCount(buffer);
            if (lead < bitCount)
            {
                zeros += lead;
                buffer <<= lead + 1;
                bitCount -= lead + 1;
                break;
            }
            zeros += bitCount;
            buffer = 0;
            bitCount = 0;
            if (zeros > limit)
            {
                break;
            }
        }
        if (zeros > limit)
        {
            throw new DicomCodecException(Codec, "Golomb code longer than LIMIT", position);
        }
        return zeros;
    }

    public readonly void CheckNotTruncated()
    {
        if (paddingBits > bitCount)
        {
            throw new DicomCodecException(Codec, "coded data ends before the last sample", position);
        }
    }

    private void Fill()
    {
        while (bitCount <= 56)
        {
            if (atEnd || position >= data.Length)
            {
                atEnd = true;
                bitCount += 8;
                paddingBits += 8;
                continue;
            }
            var b = data[position];
            if (previousWasFF)
            {
                if ((b & 0x80) != 0)
                {
                    // A marker: the 0xFF already fed was its first byte, not data.
                    atEnd = true;
                    paddingBits += 8;
                    position--;
                    continue;
                }
                buffer |= (ulong)b << (57 - bitCount);
                bitCount += 7;
            }
            else
            {
                buffer |= (ulong)b << (56 - bitCount);
                bitCount += 8;
            }
            previousWasFF = b == 0xFF;
            position++;
        }
    }
}
