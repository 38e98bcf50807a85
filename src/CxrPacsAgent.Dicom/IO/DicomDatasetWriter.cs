using System.Buffers;
using System.Buffers.Binary;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.IO;

/// <summary>
/// Encodes a data set in a little-endian transfer syntax (PS3.5 7). Retired group lengths (gggg,0000) above group 0002
/// are left out, as their values would be stale; command (0000) and meta (0002) group lengths are the caller's to set.
/// Deflate is applied by the file layer, not here.
/// </summary>
public static class DicomDatasetWriter
{
    private const uint UndefinedLength = 0xFFFFFFFF;

    public static void Write(IBufferWriter<byte> destination, DicomDataset dataset, DicomTransferSyntax syntax,
        DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var stream = new BufferWriterStream(destination);
        Write(stream, dataset, syntax, options);
    }

    public static void Write(Stream destination, DicomDataset dataset, DicomTransferSyntax syntax, DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        if (!syntax.IsWritable)
        {
            throw new NotSupportedException($"{syntax.Name} is read-only here; write little endian instead.");
        }
        new Encoder(destination, syntax.IsExplicitVR, syntax.IsEncapsulated, options ?? DicomWriteOptions.Default).WriteDataset(dataset);
    }

    /// <summary>The encoded length of <paramref name="dataset"/> in <paramref name="syntax"/>, as written with <paramref name="options"/>.</summary>
    public static long ComputeLength(DicomDataset dataset, DicomTransferSyntax syntax, DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        return new Encoder(Stream.Null, syntax.IsExplicitVR, syntax.IsEncapsulated, options ?? DicomWriteOptions.Default)
            .DatasetLength(dataset);
    }

    private sealed class Encoder(Stream output, bool explicitVR, bool encapsulated, DicomWriteOptions options)
    {
        public void WriteDataset(DicomDataset dataset)
        {
            foreach (var item in dataset)
            {
                if (IsSkipped(item))
                {
                    continue;
                }
                switch (item)
                {
                    case DicomElement element when element.Tag == DicomTags.ExtendedOffsetTable
                        && dataset[DicomTags.PixelData] is DicomFragmentSequence pixels && FragmentPadding.HasOddFragment(pixels):
                        // The padding below moves the fragments after an odd one: their 64-bit offsets move with them.
                        WriteHeader(element.Tag, element.VR, CheckedLength(element));
                        output.Write(FragmentPadding.Shift(pixels, element.Buffer.Memory.Span, entrySize: 8));
                        break;
                    case DicomElement element:
                        WriteHeader(element.Tag, EncodedVR(element), CheckedLength(element));
                        element.Buffer.CopyTo(output);
                        if ((element.Length & 1) == 1)
                        {
                            output.WriteByte(element.VR.PaddingByte);
                        }
                        break;
                    case DicomSequence sequence:
                        WriteSequence(sequence);
                        break;
                    case DicomFragmentSequence fragments:
                        WriteFragments(fragments);
                        break;
                }
            }
        }

        public long DatasetLength(DicomDataset dataset)
        {
            long total = 0;
            foreach (var item in dataset)
            {
                if (!IsSkipped(item))
                {
                    total += HeaderLength(item) + ValueLength(item);
                }
            }
            return total;
        }

        private void WriteSequence(DicomSequence sequence)
        {
            var defined = options.DefinedLengthSequences;
            WriteHeader(sequence.Tag, DicomVR.SQ, defined ? checked((uint)ValueLength(sequence)) : UndefinedLength);
            foreach (var child in sequence.Items)
            {
                WriteItemHeader(DicomTag.Item, defined ? checked((uint)DatasetLength(child)) : UndefinedLength);
                WriteDataset(child);
                if (!defined)
                {
                    WriteItemHeader(DicomTag.ItemDelimitationItem, 0);
                }
            }
            if (!defined)
            {
                WriteItemHeader(DicomTag.SequenceDelimitationItem, 0);
            }
        }

        private void WriteFragments(DicomFragmentSequence fragments)
        {
            if (!encapsulated)
            {
                throw new InvalidOperationException(
                    $"{fragments.Tag} holds compressed fragments; a native transfer syntax needs the pixels decoded first.");
            }
            WriteHeader(fragments.Tag, fragments.VR, UndefinedLength);
            WriteItemHeader(DicomTag.Item, checked((uint)fragments.OffsetTable.Length));
            if (FragmentPadding.HasOddFragment(fragments))
            {
                output.Write(FragmentPadding.Shift(fragments, fragments.OffsetTable.Memory.Span, entrySize: 4));
            }
            else
            {
                fragments.OffsetTable.CopyTo(output);
            }
            foreach (var fragment in fragments.Fragments)
            {
                // Items are of even length (PS3.5 A.4): an odd fragment gets a trailing 00H, as a JPEG stream may have.
                WriteItemHeader(DicomTag.Item, checked((uint)(fragment.Length + (fragment.Length & 1))));
                fragment.CopyTo(output);
                if ((fragment.Length & 1) == 1)
                {
                    output.WriteByte(0);
                }
            }
            WriteItemHeader(DicomTag.SequenceDelimitationItem, 0);
        }

        private long ValueLength(DicomItem item) => item switch
        {
            DicomElement element => PaddedLength(element),
            DicomSequence sequence => sequence.Items.Sum(child => 8 + DatasetLength(child) + (options.DefinedLengthSequences ? 0 : 8))
                + (options.DefinedLengthSequences ? 0 : 8),
            DicomFragmentSequence fragments => 8 + fragments.OffsetTable.Length + fragments.Fragments.Sum(f => 8 + f.Length + (f.Length & 1)) + 8,
            _ => 0,
        };

        private int HeaderLength(DicomItem item) =>
            explicitVR && (item is not DicomElement e ? item.VR : EncodedVR(e)).HasLongExplicitLength ? 12 : 8;

        /// <summary>
        /// A value longer than a 16-bit length can state is written as UN (PS3.5 6.2.2), which readers that know the
        /// tag decode as its real VR again.
        /// </summary>
        private DicomVR EncodedVR(DicomElement element) =>
            explicitVR && !element.VR.HasLongExplicitLength && PaddedLength(element) > ushort.MaxValue ? DicomVR.UN : element.VR;

        // Odd-length values, which the reader accepts from real encoders, are written with the VR's padding byte, as
        // PS3.5 7.1.1 requires even lengths.
        private static long PaddedLength(DicomElement element) => element.Length + (element.Length & 1);

        private uint CheckedLength(DicomElement element)
        {
            var length = PaddedLength(element);
            var max = explicitVR && !EncodedVR(element).HasLongExplicitLength ? ushort.MaxValue : UndefinedLength - 1;
            if (length > max)
            {
                throw new InvalidOperationException($"{element.Tag} is {length} bytes, more than VR {element.VR.Code} can encode here.");
            }
            return (uint)length;
        }

        private void WriteHeader(DicomTag tag, DicomVR vr, uint length)
        {
            Span<byte> header = stackalloc byte[12];
            BinaryPrimitives.WriteUInt16LittleEndian(header, tag.Group);
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], tag.Element);
            if (!explicitVR)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(header[4..], length);
                output.Write(header[..8]);
                return;
            }
            header[4] = (byte)vr.Code[0];
            header[5] = (byte)vr.Code[1];
            if (vr.HasLongExplicitLength)
            {
                header[6] = header[7] = 0;
                BinaryPrimitives.WriteUInt32LittleEndian(header[8..], length);
                output.Write(header);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)length);
                output.Write(header[..8]);
            }
        }

        private void WriteItemHeader(DicomTag tag, uint length)
        {
            Span<byte> header = stackalloc byte[8];
            BinaryPrimitives.WriteUInt16LittleEndian(header, tag.Group);
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], tag.Element);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], length);
            output.Write(header);
        }

        private static bool IsSkipped(DicomItem item) => item.Tag.Element == 0 && item.Tag.Group > 0x0002;
    }
}
