using System.Buffers.Binary;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.IO;

/// <summary>
/// Encapsulated fragments are written at even length (PS3.5 A.4), an odd one with a trailing 00H. Each byte of padding
/// moves every later fragment by one, so the offsets that point at fragment items (Basic Offset Table, 32-bit, and
/// Extended Offset Table, 64-bit) move with them; an offset that points at no item start is malformed and kept.
/// </summary>
internal static class FragmentPadding
{
    public static bool HasOddFragment(DicomFragmentSequence pixels) => pixels.Fragments.Exists(f => (f.Length & 1) == 1);

    /// <summary>A copy of an offset table of <paramref name="entrySize"/>-byte little-endian entries, shifted.</summary>
    public static byte[] Shift(DicomFragmentSequence pixels, ReadOnlySpan<byte> table, int entrySize)
    {
        var shifts = Shifts(pixels);
        var shifted = table.ToArray();
        for (var i = 0; i + entrySize <= shifted.Length; i += entrySize)
        {
            var entry = shifted.AsSpan(i, entrySize);
            var offset = entrySize == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(entry) : (long)BinaryPrimitives.ReadUInt64LittleEndian(entry);
            if (!shifts.TryGetValue(offset, out var shift))
            {
                continue;
            }
            if (entrySize == 4)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(entry, checked((uint)(offset + shift)));
            }
            else
            {
                BinaryPrimitives.WriteUInt64LittleEndian(entry, (ulong)(offset + shift));
            }
        }
        return shifted;
    }

    /// <summary>Original item offset of each fragment → bytes of padding written before it.</summary>
    private static Dictionary<long, long> Shifts(DicomFragmentSequence pixels)
    {
        var shifts = new Dictionary<long, long>();
        long offset = 0, padding = 0;
        foreach (var fragment in pixels.Fragments)
        {
            shifts[offset] = padding;
            offset += 8 + fragment.Length;
            padding += fragment.Length & 1;
        }
        return shifts;
    }
}
