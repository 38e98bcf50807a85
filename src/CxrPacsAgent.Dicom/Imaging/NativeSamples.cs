using System.Buffers.Binary;

namespace CxrPacsAgent.Dicom.Imaging;

/// <summary>
/// Native pixel cells (PS3.5 8.1.1) to and from samples: little-endian cells of Bits Allocated bits, packed LSB first
/// for 1-bit data, colour-by-pixel or colour-by-plane per Planar Configuration.
/// </summary>
internal static class NativeSamples
{
    /// <summary>Reads the frame starting at bit <paramref name="bitOffset"/> of <paramref name="bytes"/> as interleaved cells.</summary>
    public static void Unpack(ReadOnlySpan<byte> bytes, PixelDescription d, long bitOffset, Span<int> samples)
    {
        int count = d.SampleCount, spp = d.SamplesPerPixel, pixels = d.PixelCount;
        // Colour-by-plane (Planar Configuration 1) stores all R, then all G, then all B.
        var planar = d.PlanarConfiguration == 1 && spp > 1;
        switch (d.BitsAllocated)
        {
            case 8:
                var b8 = bytes.Slice((int)(bitOffset / 8), count);
                for (var i = 0; i < count; i++)
                {
                    samples[planar ? Interleaved(i, pixels, spp) : i] = b8[i];
                }
                break;
            case 16:
                var b16 = bytes.Slice((int)(bitOffset / 8), count * 2);
                for (var i = 0; i < count; i++)
                {
                    samples[planar ? Interleaved(i, pixels, spp) : i] = BinaryPrimitives.ReadUInt16LittleEndian(b16[(2 * i)..]);
                }
                break;
            case 32:
                var b32 = bytes.Slice((int)(bitOffset / 8), count * 4);
                for (var i = 0; i < count; i++)
                {
                    samples[planar ? Interleaved(i, pixels, spp) : i] = BinaryPrimitives.ReadInt32LittleEndian(b32[(4 * i)..]);
                }
                break;
            default:
                for (var i = 0; i < count; i++)
                {
                    var bit = bitOffset + i;
                    samples[planar ? Interleaved(i, pixels, spp) : i] = (bytes[(int)(bit >> 3)] >> (int)(bit & 7)) & 1;
                }
                break;
        }
    }

    /// <summary>Writes interleaved cells as native little-endian bytes, Planar Configuration 0.</summary>
    public static void Pack(ReadOnlySpan<int> samples, PixelDescription d, Span<byte> bytes, long bitOffset)
    {
        switch (d.BitsAllocated)
        {
            case 8:
                var b8 = bytes[(int)(bitOffset / 8)..];
                for (var i = 0; i < samples.Length; i++)
                {
                    b8[i] = (byte)samples[i];
                }
                break;
            case 16:
                var b16 = bytes[(int)(bitOffset / 8)..];
                for (var i = 0; i < samples.Length; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(b16[(2 * i)..], (ushort)samples[i]);
                }
                break;
            case 32:
                var b32 = bytes[(int)(bitOffset / 8)..];
                for (var i = 0; i < samples.Length; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(b32[(4 * i)..], samples[i]);
                }
                break;
            default:
                for (var i = 0; i < samples.Length; i++)
                {
                    var bit = bitOffset + i;
                    if ((samples[i] & 1) != 0)
                    {
                        bytes[(int)(bit >> 3)] |= (byte)(1 << (int)(bit & 7));
                    }
                }
                break;
        }
    }

    private static int Interleaved(int planarIndex, int pixels, int spp) =>
        ((planarIndex % pixels) * spp) + (planarIndex / pixels);
}
