using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Dicom.Imaging;

/// <summary>Re-encodes a data set's pixel data: decompression to native, and native to RLE Lossless.</summary>
public static class DicomPixelTranscoder
{
    /// <summary>True when pixel data in <paramref name="from"/> can be rewritten in <paramref name="to"/>.</summary>
    public static bool CanTranscode(DicomTransferSyntax from, DicomTransferSyntax to) =>
        DicomCodecRegistry.CanDecode(from) && DicomCodecRegistry.CanEncode(to);

    /// <summary>
    /// A copy of <paramref name="dataset"/> whose pixel data is in <paramref name="to"/>'s form: native (colour by
    /// pixel, Planar Configuration 0; YBR JPEG data as RGB) or RLE with a Basic Offset Table.
    /// </summary>
    public static DicomDataset Transcode(DicomDataset dataset, DicomTransferSyntax from, DicomTransferSyntax to)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (!dataset.Contains(DicomTags.PixelData))
        {
            return dataset.Clone();
        }
        var sourceIsNative = dataset[DicomTags.PixelData] is DicomElement;
        if (sourceIsNative && !to.IsEncapsulated)
        {
            return dataset.Clone();
        }
        if (!CanTranscode(from, to))
        {
            throw new DicomPixelDataException($"cannot convert pixel data from {from.Name} to {to.Name}");
        }
        var d = PixelDescription.FromDataset(dataset);
        var photometric = DicomPixelData.GetDecodedPhotometricInterpretation(dataset, from);
        var copy = dataset.Clone();
        copy.Remove(DicomTags.ExtendedOffsetTable);
        copy.Remove(DicomTags.ExtendedOffsetTableLengths);
        if (photometric != d.PhotometricInterpretation)
        {
            copy.AddOrUpdate(DicomTags.PhotometricInterpretation, photometric);
        }
        if (d.SamplesPerPixel > 1)
        {
            copy.AddOrUpdate(DicomTags.PlanarConfiguration, (ushort)0);
        }
        var samples = new int[d.SampleCount];
        var output = d with { PlanarConfiguration = 0, PhotometricInterpretation = photometric };
        if (!to.IsEncapsulated)
        {
            var bytes = new byte[(d.NativeLength + 1) & ~1L];
            for (var f = 0; f < d.NumberOfFrames; f++)
            {
                DecodeCells(dataset, from, d, f, samples);
                NativeSamples.Pack(samples, output, bytes, d.FrameBits * f);
            }
            copy.Add(new DicomElement(DicomTags.PixelData, d.BitsAllocated > 8 ? DicomVR.OW : DicomVR.OB, bytes));
            return copy;
        }
        var encoder = DicomCodecRegistry.GetEncoder(to);
        var fragments = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        var offsets = new byte[4 * d.NumberOfFrames];
        long offset = 0;
        for (var f = 0; f < d.NumberOfFrames; f++)
        {
            DecodeCells(dataset, from, d, f, samples);
            var frame = encoder.Encode(samples, output);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(offsets.AsSpan(4 * f), checked((uint)offset));
            fragments.Fragments.Add(DicomBuffer.From(frame));
            offset += 8 + frame.Length;
        }
        fragments.OffsetTable = DicomBuffer.From(offsets);
        copy.Add(fragments);
        return copy;
    }

    // Stored values re-placed at High Bit, so the cells are clean whatever the source left above it.
    private static void DecodeCells(DicomDataset dataset, DicomTransferSyntax from, PixelDescription d, int frame, int[] samples)
    {
        DicomPixelData.DecodeFrame(dataset, from, d, frame, samples);
        DicomPixelData.ToStoredValues(samples, d);
        DicomPixelData.ToCells(samples, d);
    }
}
