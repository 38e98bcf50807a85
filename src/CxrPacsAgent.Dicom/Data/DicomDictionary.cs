using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace CxrPacsAgent.Dicom.Data;

/// <summary>
/// The PS3.6 data dictionary: public entries (retired ones included), repeating groups such as overlays (60xx),
/// entries implied by PS3.5 (group lengths, private creators) and vendors' private dictionaries.
/// </summary>
public static partial class DicomDictionary
{
    private static readonly IReadOnlyList<DicomVR> GroupLengthVR = new[] { DicomVR.UL }.AsReadOnly();
    private static readonly IReadOnlyList<DicomVR> PrivateCreatorVR = new[] { DicomVR.LO }.AsReadOnly();

    /// <summary>Every public and repeating-group entry: exact tags in ascending order, then repeating groups.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => AllRows.Entries;

    /// <summary>Finds a tag's entry: exact, repeating group, then (gggg,0000) or private creator.</summary>
    public static bool TryGetEntry(DicomTag tag, [MaybeNullWhen(false)] out DicomDictionaryEntry entry)
    {
        var row = FindRow(tag);
        if (row >= 0)
        {
            entry = Table.Row(row);
            return true;
        }
        if (tag.IsGroupLength)
        {
            // PS3.5 7.2: every group may start with a UL group length; outside groups 0000 and 0002 it is retired.
            entry = new DicomDictionaryEntry(
                tag, "GenericGroupLength", "Generic Group Length", GroupLengthVR, "1", IsRetired: true);
            return true;
        }
        if (tag.IsPrivateCreator)
        {
            entry = new DicomDictionaryEntry(tag, "PrivateCreator", "Private Creator", PrivateCreatorVR, "1", false);
            return true;
        }
        entry = null;
        return false;
    }

    /// <summary>Finds a public or repeating-group entry by keyword, e.g. "PatientName" or "OverlayData".</summary>
    public static bool TryGetEntry(string keyword, [MaybeNullWhen(false)] out DicomDictionaryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        if (KeywordIndex.Rows.TryGetValue(keyword, out var row))
        {
            entry = Table.Row(row);
            return true;
        }
        entry = null;
        return false;
    }

    /// <summary>The VR to assume for a tag in Implicit VR data: the dictionary's first VR, or UN if unknown.</summary>
    public static DicomVR GetVR(DicomTag tag)
    {
        // As TryGetEntry, without allocating the synthesised entries: this runs for every implicit VR element.
        var row = FindRow(tag);
        return row >= 0 ? Table.Row(row).ValueRepresentation
            : tag.IsGroupLength ? DicomVR.UL
            : tag.IsPrivateCreator ? DicomVR.LO
            : DicomVR.UN;
    }

    /// <summary>The table row of an exact or repeating-group entry for the tag, or -1.</summary>
    private static int FindRow(DicomTag tag)
    {
        var index = TableTags[..PublicCount].BinarySearch(tag.Value);
        if (index >= 0)
        {
            return index;
        }
        // Repeating groups are even (their masks say so); skipping odd groups only saves the scan.
        if (!tag.IsPrivate)
        {
            var patterns = TableTags[PublicCount..];
            var masks = RepeaterMasks;
            for (var i = 0; i < patterns.Length; i++)
            {
                if ((tag.Value & masks[i]) == patterns[i])
                {
                    return PublicCount + i;
                }
            }
        }
        return -1;
    }

    /// <summary>
    /// Looks a private data element up in the private dictionary of <paramref name="creator"/> (the value of its
    /// private creator element). Trailing spaces and NULs of the creator value are ignored.
    /// </summary>
    public static bool TryGetPrivateEntry(
        string creator, DicomTag tag, [MaybeNullWhen(false)] out DicomDictionaryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(creator);
        creator = creator.TrimEnd(' ', '\0');
        if (tag.IsPrivate && PrivateTable.Rows(creator) is { } rows)
        {
            // Most specific first, as pydicom prefers: (gggg,eeee), then (gggg,xxee), then (ggxx,xxee).
            foreach (var row in rows)
            {
                if (row.Matches(tag))
                {
                    entry = row;
                    return true;
                }
            }
        }
        entry = null;
        return false;
    }

    /// <summary>Splits a row-per-line constant; tolerates CRLF if the generated file was checked out so.</summary>
    private static string[] SplitRows(string text) => text.Replace("\r", "", StringComparison.Ordinal).Split('\n');

    /// <summary>"US or SS" → [US, SS]; "" (delimiters) → []. One shared read-only list per VR set.</summary>
    private static ReadOnlyCollection<DicomVR>[] ParseVRSets(string joined) =>
        [.. joined.Split('|').Select(ParseVRSet)];

    private static ReadOnlyCollection<DicomVR> ParseVRSet(string set)
    {
        if (set.Length == 0)
        {
            return ReadOnlyCollection<DicomVR>.Empty;
        }
        var vrs = set.Split(" or ").Select(DicomVR.Parse).ToList();
        // OB-or-OW data is OW in Implicit VR Little Endian (PS3.5 A.1), so OW goes first as the default.
        if (vrs.Count == 2 && vrs[0] == DicomVR.OB && vrs[1] == DicomVR.OW)
        {
            vrs.Reverse();
        }
        return vrs.AsReadOnly();
    }

    // Rows become entries one by one as they are looked up; the first lookup only splits the string columns.
    private static class Table
    {
        private static readonly string[] Keywords = SplitRows(TableKeywords);
        private static readonly string[] Names = SplitRows(TableNames);
        private static readonly ReadOnlyCollection<DicomVR>[] VRSets = ParseVRSets(TableVRSets);
        private static readonly string[] VMs = TableVMList.Split('|');
        private static readonly DicomDictionaryEntry?[] Rows = new DicomDictionaryEntry?[TableTags.Length];

        internal static int Count => Rows.Length;

        internal static string Keyword(int i) => Keywords[i];

        internal static DicomDictionaryEntry Row(int i)
        {
            if (Volatile.Read(ref Rows[i]) is { } row)
            {
                return row;
            }
            var mask = i < PublicCount ? 0xFFFFFFFF : RepeaterMasks[i - PublicCount];
            row = new DicomDictionaryEntry(new DicomTag(TableTags[i]), Keywords[i], Names[i], VRSets[TableVRs[i]],
                VMs[TableVMs[i]], TableRetired[i] != 0, mask);
            // Racing threads build equal entries; the first one stored wins so every caller sees the same instance.
            return Interlocked.CompareExchange(ref Rows[i], row, null) ?? row;
        }
    }

    private static class KeywordIndex
    {
        internal static readonly Dictionary<string, int> Rows = Build();

        private static Dictionary<string, int> Build()
        {
            var rows = new Dictionary<string, int>(Table.Count, StringComparer.Ordinal);
            for (var i = 0; i < Table.Count; i++)
            {
                if (Table.Keyword(i).Length > 0)
                {
                    rows.Add(Table.Keyword(i), i);
                }
            }
            return rows;
        }
    }

    private static class AllRows
    {
        internal static readonly ReadOnlyCollection<DicomDictionaryEntry> Entries =
            Array.AsReadOnly(Enumerable.Range(0, Table.Count).Select(Table.Row).ToArray());
    }

    // The first private lookup splits the columns; a creator's rows are made when that creator is first asked for,
    // since a data set names a handful of the 435 creators.
    private static class PrivateTable
    {
        private static readonly string[] Creators = SplitRows(DicomPrivateDictionary.CreatorNames);
        private static readonly Dictionary<string, int> CreatorIndex =
            Creators.Select((name, index) => (name, index))
                .ToDictionary(c => c.name, c => c.index, StringComparer.Ordinal);
        private static readonly string[] Names = SplitRows(DicomPrivateDictionary.Names);
        private static readonly ReadOnlyCollection<DicomVR>[] VRSets = ParseVRSets(DicomPrivateDictionary.VRSets);
        private static readonly string[] VMs = DicomPrivateDictionary.VMList.Split('|');
        private static readonly DicomDictionaryEntry[]?[] Blocks = new DicomDictionaryEntry[Creators.Length][];

        /// <summary>The creator's rows, most specific pattern first (generator's order); null if unknown.</summary>
        internal static DicomDictionaryEntry[]? Rows(string creator) =>
            CreatorIndex.TryGetValue(creator, out var c) ? Block(c) : null;

        /// <summary>Every private dictionary row with its creator.</summary>
        internal static IEnumerable<(string Creator, DicomDictionaryEntry Entry)> All =>
            Enumerable.Range(0, Creators.Length).SelectMany(c => Block(c).Select(row => (Creators[c], row)));

        private static DicomDictionaryEntry[] Block(int c)
        {
            if (Volatile.Read(ref Blocks[c]) is { } block)
            {
                return block;
            }
            var start = DicomPrivateDictionary.CreatorStarts[c];
            var rows = new DicomDictionaryEntry[DicomPrivateDictionary.CreatorStarts[c + 1] - start];
            for (var r = 0; r < rows.Length; r++)
            {
                var i = start + r;
                rows[r] = new DicomDictionaryEntry(new DicomTag(DicomPrivateDictionary.Tags[i]), "", Names[i],
                    VRSets[DicomPrivateDictionary.VRs[i]], VMs[DicomPrivateDictionary.VMs[i]],
                    DicomPrivateDictionary.Retired[i] != 0, DicomPrivateDictionary.Masks[i]);
            }
            // Racing threads build equal arrays; the first one stored wins so every caller sees the same entries.
            return Interlocked.CompareExchange(ref Blocks[c], rows, null) ?? rows;
        }
    }

    /// <summary>Every private dictionary row with its creator, for tests against the source tables.</summary>
    internal static IEnumerable<(string Creator, DicomDictionaryEntry Entry)> PrivateEntries => PrivateTable.All;
}
