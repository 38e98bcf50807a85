using System.Buffers;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Dicom.Imaging;

/// <summary>Access to the stored values of a frame, native or encapsulated (PS3.5 8, A.4).</summary>
public static class DicomPixelData
{
    /// <summary>
    /// The frame's stored values, one int per sample, pixel-interleaved (colour-by-plane data is reordered): each is the
    /// cell shifted down by High Bit + 1 − Bits Stored, masked to Bits Stored and sign-extended when Pixel Representation is 1.
    /// </summary>
    public static int[] GetFrameSamples(DicomDataset dataset, DicomTransferSyntax syntax, int frame)
    {
        var description = PixelDescription.FromDataset(dataset);
        var samples = new int[description.SampleCount];
        GetFrameSamples(dataset, syntax, frame, description, samples);
        return samples;
    }

    /// <summary>
    /// The same into a buffer the caller owns (e.g. rented and reused across files) of at least
    /// <see cref="PixelDescription.SampleCount"/> elements; returns how many were written. Nothing the size of the
    /// frame is allocated on the way: native bytes still on disk are read through a pooled buffer.
    /// </summary>
    public static int GetFrameSamples(DicomDataset dataset, DicomTransferSyntax syntax, int frame, Span<int> samples)
    {
        var description = PixelDescription.FromDataset(dataset);
        if (samples.Length < description.SampleCount)
        {
            throw new ArgumentException($"{samples.Length} elements for a frame of {description.SampleCount} samples", nameof(samples));
        }
        GetFrameSamples(dataset, syntax, frame, description, samples[..description.SampleCount]);
        return description.SampleCount;
    }

    private static void GetFrameSamples(DicomDataset dataset, DicomTransferSyntax syntax, int frame, PixelDescription description,
        Span<int> samples)
    {
        DecodeFrame(dataset, syntax, description, frame, samples);
        ToStoredValues(samples, description);
    }

    /// <summary>The photometric interpretation the decoded samples are in (YBR JPEG data is converted to RGB).</summary>
    public static string GetDecodedPhotometricInterpretation(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        var description = PixelDescription.FromDataset(dataset);
        return dataset[DicomTags.PixelData] is DicomFragmentSequence
            ? DicomCodecRegistry.GetDecoder(syntax).DecodedPhotometricInterpretation(description)
            : description.PhotometricInterpretation;
    }

    /// <summary>Decodes the raw cells of <paramref name="frame"/> into <paramref name="samples"/>.</summary>
    internal static void DecodeFrame(DicomDataset dataset, DicomTransferSyntax syntax, PixelDescription description,
        int frame, Span<int> samples)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        if ((uint)frame >= (uint)description.NumberOfFrames)
        {
            throw new ArgumentOutOfRangeException(nameof(frame), $"frame {frame} asked for; Number of Frames is {description.NumberOfFrames}");
        }
        switch (dataset[DicomTags.PixelData])
        {
            case DicomElement native:
                if (native.Length < description.NativeLength)
                {
                    throw new DicomPixelDataException(
                        $"Pixel Data (7FE0,0010) has {native.Length} bytes; {description.Rows}×{description.Columns}×{description.SamplesPerPixel} samples of {description.BitsAllocated} bits in {description.NumberOfFrames} frame(s) need {description.NativeLength}");
                }
                UnpackNative(native.Buffer, description, frame, samples);
                break;
            case DicomFragmentSequence fragments:
                var decoder = DicomCodecRegistry.GetDecoder(syntax);
                using (var data = EncapsulatedFrames.GetFrame(dataset, fragments, frame, description.NumberOfFrames))
                {
                    decoder.Decode(data.Memory.Span, description, samples);
                }
                break;
            case null:
                throw new DicomPixelDataException("the data set has no Pixel Data (7FE0,0010)");
            default:
                throw new DicomPixelDataException("Pixel Data (7FE0,0010) is a sequence, not pixel data");
        }
    }

    /// <summary>
    /// One native frame's cells. A value still on disk is read frame by frame into a pooled buffer rather than loaded
    /// whole into a fresh array (10 MB for a chest radiograph) that the next file would need again.
    /// </summary>
    private static void UnpackNative(DicomBuffer buffer, PixelDescription d, int frame, Span<int> samples)
    {
        var bitOffset = d.FrameBits * frame;
        if (!buffer.IsDeferred)
        {
            NativeSamples.Unpack(buffer.Memory.Span, d, bitOffset, samples);
            return;
        }
        var first = bitOffset / 8;
        var length = (int)Math.Min(buffer.Length - first, ((bitOffset + d.FrameBits + 7) / 8) - first);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.CopyTo(first, rented.AsSpan(0, length));
            NativeSamples.Unpack(rented.AsSpan(0, length), d, bitOffset - (first * 8), samples);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Cells to stored values: shift by the unused low bits, mask to Bits Stored, sign-extend (PS3.5 8.1.1).</summary>
    internal static void ToStoredValues(Span<int> samples, PixelDescription d)
    {
        var shift = d.HighBit + 1 - d.BitsStored;
        if (d.BitsStored == 32)
        {
            return;
        }
        var mask = (int)((1L << d.BitsStored) - 1);
        var signBit = 1 << (d.BitsStored - 1);
        for (var i = 0; i < samples.Length; i++)
        {
            var v = (samples[i] >> shift) & mask;
            samples[i] = d.IsSigned ? (v ^ signBit) - signBit : v;
        }
    }

    /// <summary>Stored values back to cells at High Bit, the bits above High Bit zero.</summary>
    internal static void ToCells(Span<int> samples, PixelDescription d)
    {
        var shift = d.HighBit + 1 - d.BitsStored;
        var mask = d.HighBit >= 31 ? -1 : (int)((1L << (d.HighBit + 1)) - 1);
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (samples[i] << shift) & mask;
        }
    }
}
