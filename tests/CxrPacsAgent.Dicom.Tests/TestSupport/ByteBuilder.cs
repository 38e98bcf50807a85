using System.Buffers.Binary;
using System.Text;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Dicom.Tests.TestSupport;

/// <summary>
/// Hand-assembles encoded elements, little endian, byte by byte: malformed input that no writer would produce, with
/// <see cref="Length"/> telling the offset at which the next piece starts.
/// </summary>
internal sealed class ByteBuilder
{
    private readonly List<byte> bytes = [];

    public int Length => bytes.Count;

    public byte[] ToArray() => [.. bytes];

    /// <summary>Preamble, "DICM" and a meta group naming <paramref name="syntaxUid"/>, as a file starts.</summary>
    public static ByteBuilder FileStart(string syntaxUid)
    {
        using var stream = new MemoryStream();
        DicomFileMetaInformation.WriteHeader(stream,
            DicomFileMetaInformation.Create(DicomUids.SecondaryCaptureImageStorage, "1.2.3.4", syntaxUid));
        return new ByteBuilder().Raw(stream.ToArray());
    }

    public ByteBuilder Raw(params byte[] data)
    {
        bytes.AddRange(data);
        return this;
    }

    public ByteBuilder Tag(DicomTag tag) => UInt16(tag.Group).UInt16(tag.Element);

    /// <summary>An explicit VR header: 2-byte length, or reserved bytes and a 4-byte length for OB, SQ, UT and the like.</summary>
    public ByteBuilder Explicit(DicomTag tag, string vr, uint length)
    {
        Tag(tag).Raw(Encoding.ASCII.GetBytes(vr));
        var longForm = vr.Length == 2 && DicomVR.TryGet((byte)vr[0], (byte)vr[1], out var known) && known.HasLongExplicitLength;
        return longForm ? UInt16(0).UInt32(length) : UInt16(checked((ushort)length));
    }

    /// <summary>An explicit VR element with its value.</summary>
    public ByteBuilder Explicit(DicomTag tag, string vr, string value) =>
        Explicit(tag, vr, (uint)value.Length).Raw(Encoding.ASCII.GetBytes(value));

    public ByteBuilder Implicit(DicomTag tag, uint length) => Tag(tag).UInt32(length);

    public ByteBuilder Item(uint length = 0xFFFFFFFF) => Tag(DicomTag.Item).UInt32(length);

    public ByteBuilder ItemEnd() => Tag(DicomTag.ItemDelimitationItem).UInt32(0);

    public ByteBuilder SequenceEnd() => Tag(DicomTag.SequenceDelimitationItem).UInt32(0);

    public ByteBuilder UInt16(ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        bytes.AddRange(b.ToArray());
        return this;
    }

    public ByteBuilder UInt32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        bytes.AddRange(b.ToArray());
        return this;
    }
}
