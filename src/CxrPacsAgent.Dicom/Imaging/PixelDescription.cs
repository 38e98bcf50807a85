using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Imaging;

/// <summary>
/// The Image Pixel module attributes that say how pixel data is laid out (PS3.3 C.7.6.3.1), checked against each
/// other. Pixel Representation 1 is <see cref="IsSigned"/> (two's complement within Bits Stored).
/// </summary>
public sealed record PixelDescription(int Rows, int Columns, int SamplesPerPixel, int BitsAllocated, int BitsStored,
    int HighBit, bool IsSigned, string PhotometricInterpretation, int PlanarConfiguration, int NumberOfFrames)
{
    /// <summary>Pixels in one frame.</summary>
    public int PixelCount => Rows * Columns;

    /// <summary>Samples in one frame, all components.</summary>
    public int SampleCount => Rows * Columns * SamplesPerPixel;

    /// <summary>Bytes of one native (uncompressed) frame; frames of 1-bit data are packed without padding between them.</summary>
    public long FrameBits => (long)SampleCount * BitsAllocated;

    /// <summary>Bytes that native Pixel Data of all frames must hold before the even-length padding.</summary>
    public long NativeLength => ((FrameBits * NumberOfFrames) + 7) / 8;

    public bool IsMonochrome => PhotometricInterpretation is "MONOCHROME1" or "MONOCHROME2";

    /// <summary>The stored value range (PS3.3 C.7.6.3.1.1): [0, 2^BitsStored−1], or signed around 0.</summary>
    public int MinStoredValue => IsSigned ? -(1 << (BitsStored - 1)) : 0;

    public int MaxStoredValue => IsSigned ? (1 << (BitsStored - 1)) - 1 : (int)((1L << BitsStored) - 1);

    /// <summary>Reads and checks the module; a missing or inconsistent attribute is a <see cref="DicomPixelDataException"/>.</summary>
    public static PixelDescription FromDataset(DicomDataset ds)
    {
        ArgumentNullException.ThrowIfNull(ds);
        var rows = Required(ds, DicomTags.Rows, "Rows");
        var columns = Required(ds, DicomTags.Columns, "Columns");
        var samples = Optional(ds, DicomTags.SamplesPerPixel, "Samples per Pixel", 1);
        var allocated = Required(ds, DicomTags.BitsAllocated, "Bits Allocated");
        var stored = Optional(ds, DicomTags.BitsStored, "Bits Stored", allocated);
        var highBit = Optional(ds, DicomTags.HighBit, "High Bit", stored - 1);
        var representation = Optional(ds, DicomTags.PixelRepresentation, "Pixel Representation", 0);
        var planar = Optional(ds, DicomTags.PlanarConfiguration, "Planar Configuration", 0);
        var frames = Optional(ds, DicomTags.NumberOfFrames, "Number of Frames", 1);
        string photometric;
        try
        {
            photometric = ds.GetString(DicomTags.PhotometricInterpretation)?.Trim()
                ?? (samples == 1 ? "MONOCHROME2" : "RGB");
        }
        catch (Exception e) when (e is InvalidOperationException or DicomCharacterSetException)
        {
            throw new DicomPixelDataException($"Photometric Interpretation (0028,0004) cannot be read: {e.Message}", e);
        }
        var description = new PixelDescription(rows, columns, samples, allocated, stored, highBit, representation == 1,
            photometric, samples > 1 ? planar : 0, frames == 0 ? 1 : frames);
        description.Validate(representation);
        return description;
    }

    private void Validate(int representation)
    {
        Check(Rows > 0 && Columns > 0, $"Rows ({Rows}) and Columns ({Columns}) must both be at least 1");
        Check(SamplesPerPixel is 1 or 3 or 4, $"Samples per Pixel (0028,0002) is {SamplesPerPixel}; 1, 3 or 4 were expected");
        Check(BitsAllocated is 1 or 8 or 16 or 32,
            $"Bits Allocated (0028,0100) is {BitsAllocated}; 1, 8, 16 or 32 were expected");
        Check(BitsStored >= 1 && BitsStored <= BitsAllocated,
            $"Bits Stored (0028,0101) is {BitsStored}, which is not in 1..Bits Allocated ({BitsAllocated})");
        Check(HighBit >= BitsStored - 1 && HighBit < BitsAllocated,
            $"High Bit (0028,0102) is {HighBit}; with Bits Stored {BitsStored} and Bits Allocated {BitsAllocated} it must be in {BitsStored - 1}..{BitsAllocated - 1}");
        Check(representation is 0 or 1, $"Pixel Representation (0028,0103) is {representation}; 0 or 1 were expected");
        Check(PlanarConfiguration is 0 or 1, $"Planar Configuration (0028,0006) is {PlanarConfiguration}; 0 or 1 were expected");
        Check(NumberOfFrames >= 1, $"Number of Frames (0028,0008) is {NumberOfFrames}");
        Check((long)Rows * Columns * SamplesPerPixel <= int.MaxValue / 4,
            $"a frame of {Rows}×{Columns}×{SamplesPerPixel} samples is larger than this toolkit handles");
        var monochrome = PhotometricInterpretation is "MONOCHROME1" or "MONOCHROME2" or "PALETTE COLOR";
        Check(!monochrome || SamplesPerPixel == 1,
            $"Photometric Interpretation {PhotometricInterpretation} needs Samples per Pixel 1, not {SamplesPerPixel}");
    }

    private static void Check(bool condition, string problem)
    {
        if (!condition)
        {
            throw new DicomPixelDataException(problem);
        }
    }

    private static int Required(DicomDataset ds, DicomTag tag, string name) =>
        ds.Contains(tag) ? Optional(ds, tag, name, 0)
            : throw new DicomPixelDataException($"{name} {tag} is missing; it is required to read pixel data");

    private static int Optional(DicomDataset ds, DicomTag tag, string name, int fallback)
    {
        if (!ds.TryGetElement(tag, out var element) || element.Length == 0)
        {
            return fallback;
        }
        try
        {
            return ds.GetInt32(tag);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or KeyNotFoundException)
        {
            throw new DicomPixelDataException($"{name} {tag} cannot be read as an integer: {e.Message}", e);
        }
    }
}
