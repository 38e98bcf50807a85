using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Tests.TestSupport;

/// <summary>How strictly two canonical dumps must agree.</summary>
internal sealed record DumpComparison
{
    public static DumpComparison Exact { get; } = new();

    /// <summary>Group lengths (gggg,0000) above group 0002: we drop them on write.</summary>
    public bool IgnoreDatasetGroupLengths { get; init; }

    /// <summary>
    /// Meta elements that a writer sets for itself (group length, media storage UIDs, transfer syntax, implementation
    /// UID and name) or fills in when the original had none (version).
    /// </summary>
    public bool IgnoreWriterMeta { get; init; }

    /// <summary>
    /// Implicit VR output: the reader of it knows only the dictionary's VR. Then a VR listed with another in the
    /// dictionary ("US or SS", "OB or OW") may change, and an element unknown to the dictionary is UN, whose bytes are
    /// compared with the other side's raw value.
    /// </summary>
    public bool ImplicitVR { get; init; }
}

/// <summary>Compares two canonical dumps (pydicom_dump.py's and <see cref="CanonicalDump"/>'s) element by element.</summary>
internal static class DumpComparer
{
    private const int MaxDifferences = 20;

    // Set by the writer: group length, transfer syntax, implementation, and the media storage UIDs, which it takes
    // from the data set (checked separately by the round-trip test).
    private static readonly HashSet<uint> WriterMeta = [0x00020000, 0x00020002, 0x00020003, 0x00020010, 0x00020012, 0x00020013];

    // Filled in by the writer when the file it came from had none (e.g. no meta group at all).
    private static readonly HashSet<uint> WriterDefaults = [0x00020001];

    /// <summary>The differences between the reference (<paramref name="expected"/>) and <paramref name="actual"/>; empty if none.</summary>
    public static List<string> Compare(JsonNode expected, JsonNode actual, DumpComparison? how = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        how ??= DumpComparison.Exact;
        var differences = new List<string>();
        CompareElements(expected["meta"]!.AsArray(), actual["meta"]!.AsArray(), "meta", how, isMeta: true, differences);
        CompareElements(expected["dataset"]!.AsArray(), actual["dataset"]!.AsArray(), "", how, isMeta: false, differences);
        return differences;
    }

    private static void CompareElements(JsonArray expected, JsonArray actual, string path, DumpComparison how, bool isMeta,
        List<string> differences)
    {
        var ours = Index(actual, how, isMeta);
        var theirs = Index(expected, how, isMeta);
        foreach (var (tag, element) in theirs)
        {
            if (differences.Count >= MaxDifferences)
            {
                return;
            }
            if (!ours.TryGetValue(tag, out var mine))
            {
                if (isMeta && how.IgnoreWriterMeta && WriterDefaults.Contains(Convert.ToUInt32(tag, 16)))
                {
                    continue;
                }
                differences.Add($"{path}/{tag}: missing (reference has {Describe(element)})");
                continue;
            }
            CompareElement(element, mine, $"{path}/{tag}", how, differences);
        }
        foreach (var tag in ours.Keys.Where(t => !theirs.ContainsKey(t)))
        {
            differences.Add($"{path}/{tag}: extra ({Describe(ours[tag])})");
        }
    }

    private static void CompareElement(JsonNode expected, JsonNode actual, string path, DumpComparison how, List<string> differences)
    {
        var expectedVR = (string)expected["vr"]!;
        var actualVR = (string)actual["vr"]!;
        if (expectedVR != actualVR && !(how.ImplicitVR && ImplicitlyEquivalent(path, expectedVR, actualVR)))
        {
            differences.Add($"{path}: VR {actualVR}, reference {expectedVR}");
            return;
        }
        if (expected["items"] is JsonArray expectedItems)
        {
            if (actual["items"] is not JsonArray actualItems || actualItems.Count != expectedItems.Count)
            {
                differences.Add($"{path}: {Describe(actual)}, reference {Describe(expected)}");
                return;
            }
            for (var i = 0; i < expectedItems.Count; i++)
            {
                CompareElements(expectedItems[i]!.AsArray(), actualItems[i]!.AsArray(), $"{path}[{i}]", how, isMeta: false, differences);
            }
            return;
        }
        // An implicit reader sees an unknown element's bytes where we, knowing its VR, decode text.
        if (how.ImplicitVR && expectedVR == "UN" && expected["bytes"] is { } bytes && actual["raw"] is { } raw)
        {
            Check(bytes, raw, path, "bytes", differences);
            return;
        }
        foreach (var key in new[] { "values", "bytes", "offsets", "fragments" })
        {
            if (expected[key] is not null || actual[key] is not null)
            {
                Check(expected[key], actual[key], path, key, differences);
            }
        }
    }

    private static void Check(JsonNode? expected, JsonNode? actual, string path, string what, List<string> differences)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            differences.Add($"{path}: {what} {Short(actual)}, reference {Short(expected)}");
        }
    }

    private static bool ImplicitlyEquivalent(string path, string expectedVR, string actualVR)
    {
        if (expectedVR == "UN")
        {
            return true;
        }
        var tag = DicomTag.Parse(path[^8..]);
        // A private element's VR comes from a private dictionary, which may name another text VR than its writer did
        // (e.g. SH for LO); the text itself must still agree.
        if (tag.IsPrivate && DicomVR.Parse(expectedVR).IsText && DicomVR.Parse(actualVR).IsText)
        {
            return true;
        }
        return DicomDictionary.TryGetEntry(tag, out var entry)
            && entry.ValueRepresentations.Any(v => v.Code == expectedVR)
            && entry.ValueRepresentations.Any(v => v.Code == actualVR);
    }

    private static SortedDictionary<string, JsonNode> Index(JsonArray elements, DumpComparison how, bool isMeta)
    {
        var index = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var element in elements)
        {
            var tag = (string)element!["tag"]!;
            var value = Convert.ToUInt32(tag, 16);
            var skip = isMeta
                ? how.IgnoreWriterMeta && WriterMeta.Contains(value)
                : how.IgnoreDatasetGroupLengths && (value & 0xFFFF) == 0 && (value >> 16) > 2;
            if (!skip)
            {
                index[tag] = element;
            }
        }
        return index;
    }

    private static string Describe(JsonNode element) =>
        element["items"] is JsonArray items ? $"{element["vr"]} with {items.Count} items"
        : element["fragments"] is JsonArray fragments ? $"{element["vr"]} with {fragments.Count} fragments"
        : $"{element["vr"]} {Short(element["values"] ?? element["bytes"])}";

    private static string Short(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "nothing";
        return text.Length <= 120 ? text : text[..117] + "...";
    }
}
