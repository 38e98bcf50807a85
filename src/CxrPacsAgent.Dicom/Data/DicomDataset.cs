using System.Collections;

namespace CxrPacsAgent.Dicom.Data;

/// <summary>
/// A data set (PS3.5 7): attributes kept in ascending tag order, as they must be encoded. Items of a sequence are data
/// sets too; they inherit their parent's Specific Character Set unless they carry their own (PS3.5 7.5.3).
/// </summary>
public sealed partial class DicomDataset : IEnumerable<DicomItem>
{
    private readonly List<DicomItem> items = [];
    private DicomCharacterSet? characterSet;
    private bool unordered;

    public DicomDataset() { }

    public DicomDataset(IEnumerable<DicomItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            Add(item);
        }
    }

    /// <summary>The data set that holds the sequence this item belongs to; null at the top level.</summary>
    public DicomDataset? Parent { get; set; }

    public int Count => items.Count;

    /// <summary>
    /// The character set that decodes this data set's text: its own (0008,0005), else the parent's, else the default
    /// repertoire. An unknown defined term falls back to the default repertoire, as PS3.5 6.1.2.3 leaves it to us.
    /// </summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (characterSet is { } own)
            {
                return own;
            }
            if (TryGetItem(DicomTags.SpecificCharacterSet, out var item) && item is DicomElement element)
            {
                var terms = DicomText.SplitValues(DicomText.DecodeAscii(element.Buffer.Memory.Span));
                try
                {
                    return characterSet = DicomCharacterSet.FromTerms(terms);
                }
                catch (DicomCharacterSetException)
                {
                    return characterSet = DicomCharacterSet.Default;
                }
            }
            return Parent?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    /// <summary>Adds or replaces the attribute with the same tag, keeping tag order.</summary>
    public DicomDataset Add(DicomItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Tag == DicomTags.SpecificCharacterSet)
        {
            characterSet = null;
        }
        if (item is DicomSequence sequence)
        {
            sequence.Items.Owner = this;
        }
        // Readers add in ascending order: appending is the common case.
        if (items.Count == 0 || items[^1].Tag < item.Tag)
        {
            items.Add(item);
            return this;
        }
        var index = IndexOf(item.Tag);
        if (index >= 0)
        {
            items[index] = item;
        }
        else
        {
            items.Insert(~index, item);
        }
        return this;
    }

    /// <summary>
    /// Appends without keeping order, for the reader: files with elements out of order would otherwise cost an insert
    /// each, quadratic in their size. <see cref="CompleteRead"/> restores the order once the data set is read.
    /// </summary>
    internal void AppendRead(DicomItem item)
    {
        if (items.Count > 0 && items[^1].Tag >= item.Tag)
        {
            unordered = true;
        }
        if (item is DicomSequence sequence)
        {
            sequence.Items.Owner = this;
        }
        items.Add(item);
    }

    /// <summary>Sorts what <see cref="AppendRead"/> added out of order; of repeated tags the last one read stays.</summary>
    internal void CompleteRead()
    {
        if (!unordered)
        {
            return;
        }
        var sorted = items.Select((item, index) => (item, index))
            .GroupBy(x => x.item.Tag.Value)
            .Select(g => g.MaxBy(x => x.index).item)
            .OrderBy(item => item.Tag.Value)
            .ToList();
        items.Clear();
        items.AddRange(sorted);
        unordered = false;
        characterSet = null;
    }

    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    public bool Remove(DicomTag tag)
    {
        var index = IndexOf(tag);
        if (index < 0)
        {
            return false;
        }
        if (tag == DicomTags.SpecificCharacterSet)
        {
            characterSet = null;
        }
        items.RemoveAt(index);
        return true;
    }

    public bool TryGetItem(DicomTag tag, out DicomItem item)
    {
        var index = IndexOf(tag);
        item = index >= 0 ? items[index] : null!;
        return index >= 0;
    }

    public DicomItem? this[DicomTag tag] => TryGetItem(tag, out var item) ? item : null;

    public bool TryGetElement(DicomTag tag, out DicomElement element)
    {
        var found = TryGetItem(tag, out var item) && item is DicomElement;
        element = found ? (DicomElement)item : null!;
        return found;
    }

    public DicomSequence? GetSequence(DicomTag tag) => this[tag] as DicomSequence;

    /// <summary>Adds a sequence of <paramref name="children"/>, making this data set their parent.</summary>
    public DicomSequence AddSequence(DicomTag tag, params DicomDataset[] children)
    {
        var sequence = new DicomSequence(tag, children);
        Add(sequence);
        return sequence;
    }

    /// <summary>A deep copy of the attribute list; values are shared, being immutable.</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset { Parent = Parent };
        foreach (var item in items)
        {
            copy.items.Add(item is DicomSequence sq
                ? new DicomSequence(sq.Tag, sq.Items.Select(child => child.Clone())) { Items = { Owner = copy } }
                : item);
        }
        return copy;
    }

    public IEnumerator<DicomItem> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(DicomTag tag)
    {
        int lo = 0, hi = items.Count - 1;
        var key = tag.Value;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var v = items[mid].Tag.Value;
            if (v == key)
            {
                return mid;
            }
            if (v < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return ~lo;
    }
}
