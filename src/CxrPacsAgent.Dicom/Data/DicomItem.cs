namespace CxrPacsAgent.Dicom.Data;

/// <summary>One attribute of a data set: a plain element, a sequence, or encapsulated pixel data.</summary>
public abstract class DicomItem(DicomTag tag, DicomVR vr)
{
    public DicomTag Tag { get; } = tag;

    public DicomVR VR { get; } = vr;

    public override string ToString() => $"{Tag} {VR.Code}";
}

/// <summary>A data element whose value is a byte string (every VR but SQ).</summary>
public sealed class DicomElement : DicomItem
{
    public DicomElement(DicomTag tag, DicomVR vr, DicomBuffer buffer) : base(tag, vr)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (vr == DicomVR.SQ)
        {
            throw new ArgumentException("SQ values are items, not bytes: use DicomSequence.", nameof(vr));
        }
        Buffer = buffer;
    }

    public DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes) : this(tag, vr, DicomBuffer.From(bytes)) { }

    /// <summary>The encoded value, little endian, including any padding byte.</summary>
    public DicomBuffer Buffer { get; }

    public long Length => Buffer.Length;

    public override string ToString() => $"{Tag} {VR.Code} [{Length} bytes]";
}

/// <summary>An SQ element: an ordered list of item data sets.</summary>
public sealed class DicomSequence : DicomItem
{
    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset>? items = null) : base(tag, DicomVR.SQ)
    {
        Items = new DicomSequenceItems();
        foreach (var item in items ?? [])
        {
            Items.Add(item);
        }
    }

    /// <summary>The items; each one added gets the data set holding this sequence as its parent.</summary>
    public DicomSequenceItems Items { get; }

    public override string ToString() => $"{Tag} SQ [{Items.Count} items]";
}

/// <summary>
/// The items of a sequence. Keeps every item's <see cref="DicomDataset.Parent"/> pointing at the data set that holds
/// the sequence, whenever items are added, so items added late still inherit its Specific Character Set.
/// </summary>
public sealed class DicomSequenceItems : System.Collections.ObjectModel.Collection<DicomDataset>
{
    private DicomDataset? owner;

    /// <summary>The data set holding the sequence; set when the sequence is added to it.</summary>
    internal DicomDataset? Owner
    {
        get => owner;
        set
        {
            owner = value;
            foreach (var item in this)
            {
                item.Parent = value;
            }
        }
    }

    protected override void InsertItem(int index, DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        item.Parent = owner;
        base.InsertItem(index, item);
    }

    protected override void SetItem(int index, DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        item.Parent = owner;
        base.SetItem(index, item);
    }
}

/// <summary>
/// Encapsulated pixel data (PS3.5 A.4): the Basic Offset Table item followed by fragments, kept as encoded.
/// The Extended Offset Table (7FE0,0001) and its lengths (7FE0,0002) are ordinary elements of the data set.
/// </summary>
public sealed class DicomFragmentSequence(DicomTag tag, DicomVR vr) : DicomItem(tag, vr)
{
    /// <summary>The Basic Offset Table (first item); empty when the encoder gave none.</summary>
    public DicomBuffer OffsetTable { get; set; } = DicomBuffer.Empty;

    public List<DicomBuffer> Fragments { get; } = [];

    /// <summary>The Basic Offset Table as 32-bit offsets from the first byte of the first fragment item.</summary>
    public uint[] GetOffsets()
    {
        var span = OffsetTable.Memory.Span;
        var offsets = new uint[span.Length / 4];
        for (var i = 0; i < offsets.Length; i++)
        {
            offsets[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(span[(4 * i)..]);
        }
        return offsets;
    }

    public override string ToString() => $"{Tag} {VR.Code} [encapsulated, {Fragments.Count} fragments]";
}
