using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Imaging;

/// <summary>
/// A LUT from an item of the Modality or VOI LUT Sequence (PS3.3 C.11.1.1.1): LUT Descriptor (entries, 0 meaning
/// 65536; first input value mapped; bits per entry) and LUT Data. Inputs below the first value map to the first entry,
/// inputs past the last to the last.
/// </summary>
internal sealed class LookupTable
{
    private LookupTable(int firstValue, int[] entries, int bitsPerEntry)
    {
        FirstValue = firstValue;
        Entries = entries;
        BitsPerEntry = bitsPerEntry;
    }

    public int FirstValue { get; }

    public int[] Entries { get; }

    public int BitsPerEntry { get; }

    /// <summary>The largest value an entry can have, which maps to white at the end of a VOI LUT.</summary>
    public int MaxOutput => (1 << BitsPerEntry) - 1;

    public int this[double input]
    {
        get
        {
            var index = (long)Math.Floor(input) - FirstValue;
            return Entries[index < 0 ? 0 : index >= Entries.Length ? Entries.Length - 1 : (int)index];
        }
    }

    /// <summary>
    /// Reads the item; <paramref name="signedInput"/> says the first value mapped is SS (the LUT's input is signed),
    /// which PS3.3 ties to the Pixel Representation (Modality LUT) or the sign of the modality values (VOI LUT).
    /// </summary>
    public static LookupTable FromItem(DicomDataset item, bool signedInput, string sequence)
    {
        ushort[] descriptor;
        try
        {
            descriptor = item.GetValues<ushort>(DicomTags.LUTDescriptor);
        }
        catch (InvalidOperationException e)
        {
            throw new DicomPixelDataException($"LUT Descriptor (0028,3002) in {sequence} is not US or SS: {e.Message}", e);
        }
        if (descriptor.Length != 3)
        {
            throw new DicomPixelDataException($"LUT Descriptor (0028,3002) in {sequence} has {descriptor.Length} values, not 3");
        }
        var count = descriptor[0] == 0 ? 65536 : descriptor[0];
        int first = signedInput ? (short)descriptor[1] : descriptor[1];
        int bits = descriptor[2];
        if (bits is < 1 or > 16)
        {
            throw new DicomPixelDataException($"LUT Descriptor (0028,3002) in {sequence} gives {bits} bits per entry; 1–16 are allowed");
        }
        if (!item.TryGetElement(DicomTags.LUTData, out var data))
        {
            throw new DicomPixelDataException($"LUT Data (0028,3006) is missing from {sequence}");
        }
        var bytes = data.Buffer.Memory.Span;
        var entries = new int[count];
        if (bytes.Length >= 2 * count)
        {
            for (var i = 0; i < count; i++)
            {
                entries[i] = bytes[2 * i] | (bytes[(2 * i) + 1] << 8);
            }
        }
        else if (bits <= 8 && bytes.Length >= count)
        {
            // 8-bit entries packed two to a word, as some writers do for OB-like data.
            for (var i = 0; i < count; i++)
            {
                entries[i] = bytes[i];
            }
        }
        else
        {
            throw new DicomPixelDataException($"LUT Data (0028,3006) in {sequence} has {bytes.Length} bytes for {count} entries");
        }
        // Some writers declare 16 bits but fill only 12 (or the reverse); trust the data when it exceeds the declaration.
        var max = entries.Max();
        if (max >= 1 << bits)
        {
            bits = 16;
        }
        return new LookupTable(first, entries, bits);
    }
}
