using System.Buffers.Binary;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.IO;

/// <summary>
/// The element-by-element decoder of PS3.5 7.1 (element encoding), 7.5 (sequences and items) and A.4 (encapsulated
/// pixel data). Bounds are checked before every read, so no input can make it read past the span, loop without
/// progress or recurse deeper than <see cref="DicomReadOptions.MaxDepth"/>.
/// </summary>
internal ref struct DatasetParser
{
    private const uint UndefinedLength = 0xFFFFFFFF;

    private readonly ReadOnlySpan<byte> data;
    private readonly DicomReadOptions options;
    private readonly long baseOffset;
    private readonly string? sourcePath;
    private bool explicitVR;
    private bool littleEndian;
    private int depth;

    public DatasetParser(ReadOnlySpan<byte> data, bool explicitVR, bool littleEndian, DicomReadOptions options,
        long baseOffset, string? sourcePath)
    {
        this.data = data;
        this.explicitVR = explicitVR;
        this.littleEndian = littleEndian;
        this.options = options;
        this.baseOffset = baseOffset;
        this.sourcePath = sourcePath;
    }

    public int Position { get; private set; }

    /// <summary>
    /// Corrects the encoding from the first element header, as files that contradict their stated transfer syntax (or
    /// have no meta header to state it) are common: explicit VR shows as two upper-case letters of a known VR after the
    /// tag, big endian as a byte-swapped group. Endianness is guessed only when no syntax was stated
    /// (<paramref name="inferEndianness"/>): groups such as 2000 or 6000 look byte-swapped but are not.
    /// </summary>
    public void DetectEncoding(bool inferEndianness)
    {
        if (data.Length < 8)
        {
            return;
        }
        var le = BinaryPrimitives.ReadUInt16LittleEndian(data);
        var be = BinaryPrimitives.ReadUInt16BigEndian(data);
        if (inferEndianness && le > 0x00FF && be <= 0x00FF && be > 0)
        {
            littleEndian = false;
        }
        else if (inferEndianness && be > 0x00FF && le <= 0x00FF)
        {
            littleEndian = true;
        }
        explicitVR = IsUpper(data[4]) && IsUpper(data[5]) && DicomVR.TryGet(data[4], data[5], out _);
    }

    public void ReadGroup(DicomDataset dataset, ushort group)
    {
        while (Position + 4 <= data.Length && BinaryPrimitives.ReadUInt16LittleEndian(data[Position..]) == group)
        {
            ReadElement(dataset, data.Length);
        }
        dataset.CompleteRead();
    }

    /// <summary>Reads elements into <paramref name="dataset"/> up to <paramref name="end"/> or an Item Delimitation Item.</summary>
    public void ReadElements(DicomDataset dataset, int end, bool untilDelimiter, bool topLevel)
    {
        ReadElementsInOrderRead(dataset, end, untilDelimiter, topLevel);
        dataset.CompleteRead();
    }

    private void ReadElementsInOrderRead(DicomDataset dataset, int end, bool untilDelimiter, bool topLevel)
    {
        while (Position < end)
        {
            var start = Position;
            var tag = PeekTag(start, end);
            if (tag == DicomTag.ItemDelimitationItem)
            {
                Position += 8;
                if (untilDelimiter)
                {
                    return;
                }
                throw Error("Item Delimitation Item outside an item of undefined length", tag, start);
            }
            if (tag.Group == 0xFFFE)
            {
                throw Error("item or sequence delimiter where a data element was expected", tag, start);
            }
            if (topLevel && options.StopAt is { } stop && tag >= stop)
            {
                return;
            }
            ReadElement(dataset, end);
        }
        if (untilDelimiter)
        {
            throw Error("item of undefined length ends without an Item Delimitation Item", null, Position);
        }
    }

    private void ReadElement(DicomDataset dataset, int end)
    {
        var start = Position;
        var tag = PeekTag(start, end);
        Position += 4;
        DicomVR vr;
        uint length;
        if (explicitVR)
        {
            Need(start, 6, tag, end);
            if (!DicomVR.TryGet(data[Position], data[Position + 1], out vr))
            {
                throw Error($"unknown VR '{Printable(data[Position])}{Printable(data[Position + 1])}' in an explicit VR data set", tag, start);
            }
            if (vr.HasLongExplicitLength)
            {
                Need(start, 12, tag, end);
                length = ReadUInt32(Position + 4);
                Position += 8;
            }
            else
            {
                Need(start, 8, tag, end);
                length = ReadUInt16(Position + 2);
                Position += 4;
            }
        }
        else
        {
            Need(start, 8, tag, end);
            length = ReadUInt32(Position);
            Position += 4;
            vr = ImplicitVR(dataset, tag);
        }

        var dictionaryVR = vr == DicomVR.UN ? KnownVR(dataset, tag) : null;
        if (length == UndefinedLength)
        {
            if (vr == DicomVR.SQ || vr == DicomVR.UN)
            {
                // CP-246: an undefined-length UN is a sequence encoded in Implicit VR Little Endian.
                dataset.AppendRead(ReadSequence(tag, int.MaxValue, end, implicitItems: vr == DicomVR.UN, start));
            }
            else if (tag == DicomTags.PixelData || vr == DicomVR.OB || vr == DicomVR.OW)
            {
                // PS3.5 A.4: encapsulated pixel data is OB, whatever the dictionary's default VR for implicit VR data.
                dataset.AppendRead(ReadFragments(tag, explicitVR ? vr : DicomVR.OB, end, start));
            }
            else
            {
                throw Error($"undefined length is not allowed for VR {vr.Code}", tag, start);
            }
            return;
        }

        if ((length & 1) == 1 && (options.RejectOddLengths || length == UndefinedLength - 1))
        {
            throw Error($"odd value length {length}", tag, start);
        }
        if (length > (uint)(end - Position))
        {
            throw Error($"value length {length} runs past the end of its data set ({end - Position} bytes left)", tag, start);
        }
        var valueLength = (int)length;
        if (vr == DicomVR.SQ || dictionaryVR == DicomVR.SQ)
        {
            dataset.AppendRead(ReadSequence(tag, Position + valueLength, Position + valueLength, implicitItems: vr == DicomVR.UN, start));
            return;
        }
        if (dictionaryVR is not null)
        {
            // A UN whose VR we know is decoded as that VR (PS3.5 6.2.2 note); its bytes are little endian already.
            vr = dictionaryVR;
        }
        dataset.AppendRead(new DicomElement(tag, vr, ReadValue(valueLength, littleEndian ? 1 : vr.UnitSize)));
    }

    /// <summary>Reads items up to <paramref name="end"/>, or, when it is int.MaxValue, up to a Sequence Delimitation Item before <paramref name="outerEnd"/>.</summary>
    private DicomSequence ReadSequence(DicomTag tag, int end, int outerEnd, bool implicitItems, int start)
    {
        if (++depth > options.MaxDepth)
        {
            throw Error($"sequences nested deeper than {options.MaxDepth} levels", tag, start);
        }
        var saved = (explicitVR, littleEndian);
        if (implicitItems)
        {
            (explicitVR, littleEndian) = (false, true);
        }
        var sequence = new DicomSequence(tag);
        var undefined = end == int.MaxValue;
        var limit = undefined ? outerEnd : end;
        while (Position < limit)
        {
            var itemStart = Position;
            var itemTag = PeekTag(itemStart, limit);
            Need(itemStart, 8, itemTag, limit);
            var itemLength = ReadUInt32(itemStart + 4);
            Position += 8;
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                if (undefined)
                {
                    (explicitVR, littleEndian) = saved;
                    depth--;
                    return sequence;
                }
                throw Error("Sequence Delimitation Item in a sequence of defined length", tag, itemStart);
            }
            if (itemTag != DicomTag.Item)
            {
                throw Error($"expected an item (FFFE,E000) in the sequence, found {itemTag}", tag, itemStart);
            }
            var item = new DicomDataset();
            sequence.Items.Add(item);
            if (itemLength == UndefinedLength)
            {
                ReadElements(item, limit, untilDelimiter: true, topLevel: false);
            }
            else
            {
                if (itemLength > (uint)(limit - Position))
                {
                    throw Error($"item length {itemLength} runs past the end of its sequence", tag, itemStart);
                }
                ReadElements(item, Position + (int)itemLength, untilDelimiter: false, topLevel: false);
            }
        }
        if (undefined)
        {
            throw Error("sequence of undefined length ends without a Sequence Delimitation Item", tag, start);
        }
        (explicitVR, littleEndian) = saved;
        depth--;
        return sequence;
    }

    private DicomFragmentSequence ReadFragments(DicomTag tag, DicomVR vr, int end, int start)
    {
        var fragments = new DicomFragmentSequence(tag, vr);
        var first = true;
        while (true)
        {
            var itemStart = Position;
            var itemTag = PeekTag(itemStart, end);
            Need(itemStart, 8, itemTag, end);
            var itemLength = ReadUInt32(itemStart + 4);
            Position += 8;
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                return fragments;
            }
            if (itemTag != DicomTag.Item)
            {
                throw Error($"expected a fragment item (FFFE,E000) in encapsulated pixel data, found {itemTag}", tag, itemStart);
            }
            if (itemLength > (uint)(end - Position))
            {
                throw Error($"fragment length {itemLength} runs past the end of the data", tag, itemStart);
            }
            var value = ReadValue((int)itemLength, swapUnit: 1);
            if (first)
            {
                fragments.OffsetTable = value;
                first = false;
            }
            else
            {
                fragments.Fragments.Add(value);
            }
        }
    }

    private DicomBuffer ReadValue(int length, int swapUnit)
    {
        var offset = Position;
        Position += length;
        if (sourcePath is not null && length >= options.DeferThreshold)
        {
            return new FileRangeBuffer(sourcePath, baseOffset + offset, length, swapUnit);
        }
        if (length == 0)
        {
            return DicomBuffer.Empty;
        }
        var bytes = data.Slice(offset, length).ToArray();
        if (swapUnit > 1)
        {
            FileRangeBuffer.Swap(bytes.AsSpan(0, length - (length % swapUnit)), swapUnit);
        }
        return new MemoryBuffer(bytes);
    }

    /// <summary>The VR of an implicit VR element: from the dictionaries, resolving the "US or SS" style choices.</summary>
    private static DicomVR ImplicitVR(DicomDataset dataset, DicomTag tag) => KnownVR(dataset, tag) ?? DicomVR.UN;

    private static DicomVR? KnownVR(DicomDataset dataset, DicomTag tag)
    {
        DicomDictionaryEntry? entry = null;
        if (tag.IsPrivate && !tag.IsPrivateCreator)
        {
            if (dataset.GetPrivateCreator(tag) is { } creator && DicomDictionary.TryGetPrivateEntry(creator, tag, out var p))
            {
                entry = p;
            }
        }
        else if (DicomDictionary.TryGetEntry(tag, out var e))
        {
            entry = e;
        }
        if (entry is null || entry.ValueRepresentations.Count == 0)
        {
            return null;
        }
        var vrs = entry.ValueRepresentations;
        if (vrs.Count > 1 && vrs.Contains(DicomVR.SS) && vrs.Contains(DicomVR.US))
        {
            // PS3.5 A.1 c: these follow Pixel Representation (1 = two's complement).
            return dataset.TryGetElement(DicomTags.PixelRepresentation, out var pr) && pr.Length >= 2
                && pr.Buffer.Memory.Span[0] == 1 ? DicomVR.SS : DicomVR.US;
        }
        return vrs.Count > 1 && vrs.Contains(DicomVR.OW) ? DicomVR.OW : vrs[0];
    }

    private readonly DicomTag PeekTag(int at, int end)
    {
        if (end - at < 4)
        {
            throw Error($"data ends inside an element tag ({end - at} of 4 bytes)", null, at);
        }
        return littleEndian
            ? new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(data[at..]), BinaryPrimitives.ReadUInt16LittleEndian(data[(at + 2)..]))
            : new DicomTag(BinaryPrimitives.ReadUInt16BigEndian(data[at..]), BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]));
    }

    /// <summary>Ensures a header of <paramref name="headerBytes"/> starting at <paramref name="start"/> lies before <paramref name="end"/>.</summary>
    private readonly void Need(int start, int headerBytes, DicomTag tag, int end)
    {
        if (headerBytes > end - start)
        {
            throw Error($"data ends inside an element header ({end - start} of {headerBytes} bytes)", tag, start);
        }
    }

    private readonly uint ReadUInt32(int at) =>
        littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(data[at..]) : BinaryPrimitives.ReadUInt32BigEndian(data[at..]);

    private readonly ushort ReadUInt16(int at) =>
        littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(data[at..]) : BinaryPrimitives.ReadUInt16BigEndian(data[at..]);

    private readonly DicomFormatException Error(string problem, DicomTag? tag, int at) =>
        new(problem, tag, baseOffset + at);

    private static bool IsUpper(byte b) => b is >= (byte)'A' and <= (byte)'Z';

    private static char Printable(byte b) => b is >= 0x20 and < 0x7F ? (char)b : '?';
}
