using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CxrPacsAgent.Dicom.Data;

public sealed partial class DicomDataset
{
    /// <summary>Value <paramref name="index"/> of a binary attribute, read as <typeparamref name="T"/> of the VR's size.</summary>
    public T GetValue<T>(DicomTag tag, int index = 0) where T : unmanaged
    {
        var span = BinarySpan<T>(tag);
        var size = Unsafe.SizeOf<T>();
        if ((uint)index >= (uint)(span.Length / size))
        {
            throw new InvalidOperationException($"{tag} has {span.Length / size} values; value {index} was asked for.");
        }
        return MemoryMarshal.Read<T>(span[(index * size)..]);
    }

    /// <summary>All values of a binary attribute (values are stored little endian, as this runtime reads them).</summary>
    public T[] GetValues<T>(DicomTag tag) where T : unmanaged =>
        TryGetItem(tag, out _) ? MemoryMarshal.Cast<byte, T>(BinarySpan<T>(tag)).ToArray() : [];

    public ushort GetUInt16(DicomTag tag, int index = 0) => GetValue<ushort>(tag, index);

    public uint GetUInt32(DicomTag tag, int index = 0) => GetValue<uint>(tag, index);

    /// <summary>Any integer VR (US SS UL SL UV SV) widened to 64 bits.</summary>
    public long GetInt64(DicomTag tag, int index = 0)
    {
        var element = RequireElement(tag);
        return element.VR.Code switch
        {
            "US" => GetValue<ushort>(tag, index),
            "SS" => GetValue<short>(tag, index),
            "UL" => GetValue<uint>(tag, index),
            "SL" => GetValue<int>(tag, index),
            "SV" => GetValue<long>(tag, index),
            "UV" => checked((long)GetValue<ulong>(tag, index)),
            "IS" => GetInt32(tag, index),
            _ => throw new InvalidOperationException($"{tag} has VR {element.VR.Code}, not an integer VR."),
        };
    }

    /// <summary>Values of an AT attribute.</summary>
    public DicomTag[] GetTags(DicomTag tag)
    {
        var element = RequireElement(tag);
        if (element.VR != DicomVR.AT)
        {
            throw new InvalidOperationException($"{tag} has VR {element.VR.Code}, not AT.");
        }
        var span = element.Buffer.Memory.Span;
        var tags = new DicomTag[span.Length / 4];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span[(4 * i)..]),
                BinaryPrimitives.ReadUInt16LittleEndian(span[((4 * i) + 2)..]));
        }
        return tags;
    }

    /// <summary>Sets a binary attribute; <typeparamref name="T"/> must match the VR's value size.</summary>
    public DicomDataset AddOrUpdate<T>(DicomTag tag, DicomVR vr, params T[] values) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(values);
        if (vr.Kind is not (DicomVRKind.Binary or DicomVRKind.Bulk) || Unsafe.SizeOf<T>() != vr.UnitSize)
        {
            throw new ArgumentException($"{typeof(T).Name} values do not fit VR {vr.Code} of {tag}.", nameof(values));
        }
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        return Add(new DicomElement(tag, vr, Pad(bytes, 0)));
    }

    public DicomDataset AddOrUpdate(DicomTag tag, params ushort[] values) => AddOrUpdate(tag, DicomVR.US, values);

    public DicomDataset AddOrUpdate(DicomTag tag, params uint[] values) => AddOrUpdate(tag, DicomVR.UL, values);

    public DicomDataset AddOrUpdate(DicomTag tag, params DicomTag[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4 * i), values[i].Group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((4 * i) + 2), values[i].Element);
        }
        return Add(new DicomElement(tag, DicomVR.AT, bytes));
    }

    /// <summary>Sets an OB/OW/UN-style attribute from raw bytes (padded to even length with NUL).</summary>
    public DicomDataset AddOrUpdateBytes(DicomTag tag, DicomVR vr, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(vr);
        if (vr.Kind is not (DicomVRKind.Bulk or DicomVRKind.Binary))
        {
            throw new ArgumentException($"VR {vr.Code} does not hold bytes.", nameof(vr));
        }
        return Add(new DicomElement(tag, vr, Pad(bytes.ToArray(), 0)));
    }

    private ReadOnlySpan<byte> BinarySpan<T>(DicomTag tag) where T : unmanaged
    {
        var element = RequireElement(tag);
        var vr = element.VR;
        var size = Unsafe.SizeOf<T>();
        var fits = vr.Kind == DicomVRKind.Bulk ? vr.UnitSize == 1 || vr.UnitSize == size
            : vr.Kind is DicomVRKind.Binary or DicomVRKind.Tag && vr.UnitSize == size;
        if (!fits)
        {
            throw new InvalidOperationException($"{tag} has VR {vr.Code}; it cannot be read as {typeof(T).Name}.");
        }
        return element.Buffer.Memory.Span;
    }
}
