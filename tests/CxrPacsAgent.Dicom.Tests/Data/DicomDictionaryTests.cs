using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Tests.Data;

public class DicomDictionaryTests
{
    private static DicomDictionaryEntry Entry(ushort group, ushort element)
    {
        var tag = new DicomTag(group, element);
        Assert.True(DicomDictionary.TryGetEntry(tag, out var entry), tag.ToString());
        return entry;
    }

    private static string Codes(DicomDictionaryEntry entry) => string.Join(" ", entry.ValueRepresentations);

    [Fact]
    public void Patient_name_is_PN()
    {
        var entry = Entry(0x0010, 0x0010);
        Assert.Equal(("PatientName", "Patient's Name", "PN", "1", false),
            (entry.Keyword, entry.Name, Codes(entry), entry.ValueMultiplicity, entry.IsRetired));
        Assert.Equal(new DicomTag(0x0010, 0x0010), DicomTags.PatientName);
    }

    [Fact]
    public void Pixel_data_is_OB_or_OW_with_OW_as_the_implicit_default()
    {
        var entry = Entry(0x7FE0, 0x0010);
        Assert.Equal("OW OB", Codes(entry));
        Assert.Equal(DicomVR.OW, DicomDictionary.GetVR(DicomTags.PixelData));
    }

    [Fact]
    public void Ambiguous_and_missing_VRs_become_lists()
    {
        Assert.Equal("US SS", Codes(Entry(0x0028, 0x0106))); // Smallest Image Pixel Value
        Assert.Equal("US SS OW", Codes(Entry(0x0028, 0x1200))); // Gray Lookup Table Data
        Assert.Empty(Entry(0xFFFE, 0xE000).ValueRepresentations); // Item: no VR (PS3.5 7.5)
        Assert.Equal(DicomVR.UN, DicomDictionary.GetVR(DicomTag.Item));
    }

    [Fact]
    public void Overlay_and_curve_groups_match_through_the_repeaters()
    {
        var overlay = Entry(0x6002, 0x3000);
        Assert.Equal(("OverlayData", "OW OB", false), (overlay.Keyword, Codes(overlay), overlay.IsRetired));
        Assert.Equal(new DicomTag(0x6000, 0x3000), overlay.Tag);
        var curve = Entry(0x501E, 0x3000);
        Assert.Equal(("CurveData", true), (curve.Keyword, curve.IsRetired));
        Assert.Equal("RowsForNthOrderCoefficients", Entry(0x0028, 0x0410).Keyword); // (0028,04x0)
        // Repeating groups are even (PS3.5 7.6): (6001,3000) is a private tag, not overlay data.
        Assert.False(DicomDictionary.TryGetEntry(new DicomTag(0x6001, 0x3000), out _));
        Assert.False(overlay.Matches(new DicomTag(0x6001, 0x3000)));
    }

    [Fact]
    public void Retired_entries_are_kept_and_flagged()
    {
        var entry = Entry(0x0008, 0x0040);
        Assert.Equal(("DataSetType", "US", true), (entry.Keyword, Codes(entry), entry.IsRetired));
    }

    [Fact]
    public void Group_lengths_and_private_creators_follow_PS3_5()
    {
        Assert.Equal("FileMetaInformationGroupLength", Entry(0x0002, 0x0000).Keyword);
        var length = Entry(0x0008, 0x0000);
        Assert.Equal(("GenericGroupLength", "UL", new DicomTag(0x0008, 0x0000)),
            (length.Keyword, Codes(length), length.Tag));
        var creator = Entry(0x0029, 0x0010);
        Assert.Equal(("PrivateCreator", "LO"), (creator.Keyword, Codes(creator)));
        Assert.False(DicomDictionary.TryGetEntry(new DicomTag(0x0029, 0x1010), out _));
        Assert.Equal(DicomVR.UN, DicomDictionary.GetVR(new DicomTag(0x0029, 0x1010)));
        Assert.Equal(DicomVR.UN, DicomDictionary.GetVR(new DicomTag(0x0008, 0xFFF1)));
    }

    [Fact]
    public void Keywords_find_exact_and_repeating_entries()
    {
        Assert.True(DicomDictionary.TryGetEntry("PatientName", out var name));
        Assert.Equal(DicomTags.PatientName, name.Tag);
        Assert.True(DicomDictionary.TryGetEntry("OverlayData", out var overlay));
        Assert.True(overlay.Matches(new DicomTag(0x601E, 0x3000)));
        Assert.False(DicomDictionary.TryGetEntry("patientname", out _));
    }

    [Fact]
    public void Counts_are_those_of_PS3_6()
    {
        var exact = DicomDictionary.Entries.Count(e => e.Mask == 0xFFFFFFFF);
        Assert.InRange(exact, 4_000, 6_000);
        Assert.InRange(DicomDictionary.Entries.Count - exact, 50, 150);
        Assert.True(DicomDictionary.Entries.Take(exact).Select(e => e.Tag).SequenceEqual(
            DicomDictionary.Entries.Take(exact).Select(e => e.Tag).Order()));
    }

    [Fact]
    public void DicomTags_has_every_exact_keyword_with_its_tag()
    {
        var tags = typeof(DicomTags).GetProperties().ToDictionary(p => p.Name, p => (DicomTag)p.GetValue(null)!);
        var expected = DicomDictionary.Entries.Where(e => e.Mask == 0xFFFFFFFF && e.Keyword.Length > 0).ToList();
        Assert.Equal(expected.Count, tags.Count);
        Assert.All(expected, e => Assert.Equal(e.Tag, tags[e.Keyword]));
    }

    [Fact]
    public void Private_entries_resolve_by_creator_and_block()
    {
        const string Csa = "SIEMENS CSA HEADER";
        Assert.True(DicomDictionary.TryGetPrivateEntry(Csa, new DicomTag(0x0029, 0x1010), out var csa));
        Assert.Equal(("CSA Image Header Info", "OB"), (csa.Name, Codes(csa)));
        // Any block the creator reserved (here 0x11) and trailing padding of the creator value.
        Assert.True(DicomDictionary.TryGetPrivateEntry(Csa + " ", new DicomTag(0x0029, 0x1110), out var moved));
        Assert.Same(csa, moved);
        // (60xx,xx00) patterns of PAPYRUS 3.0.
        Assert.True(DicomDictionary.TryGetPrivateEntry("PAPYRUS 3.0", new DicomTag(0x6001, 0x1000), out var papyrus));
        Assert.Equal(("Overlay ID", "IS"), (papyrus.Name, Codes(papyrus)));
        Assert.False(DicomDictionary.TryGetPrivateEntry("NO SUCH CREATOR", new DicomTag(0x0029, 0x1010), out _));
        Assert.False(DicomDictionary.TryGetPrivateEntry(Csa, new DicomTag(0x0010, 0x0010), out _));
    }

    [Fact]
    public void Every_public_and_repeating_entry_matches_pydicom()
    {
        var source = Pydicom.Tables.Value;
        var ours = DicomDictionary.Entries.ToDictionary(e => (e.Tag.Value, e.Mask));
        var theirs = source.GetProperty("public").EnumerateArray().Select(r => (Key: (Hex(r[0]), 0xFFFFFFFF), Row: r))
            .Concat(source.GetProperty("repeaters").EnumerateArray()
                .Select(r => (Key: RepeaterKey(r[0].GetString()!), Row: r)))
            .ToList();
        Assert.Equal(theirs.Count, ours.Count);
        Assert.All(theirs, t =>
        {
            Assert.True(ours.TryGetValue(t.Key, out var entry), t.Row[0].GetString());
            // Row: tag or pattern, VR, VM, name, retired, keyword.
            Assert.Equal(
                (Pydicom.VRs(t.Row[1]), t.Row[2].GetString(), t.Row[3].GetString(),
                    t.Row[4].GetString() == "Retired", t.Row[5].GetString()),
                (Sorted(entry), entry.ValueMultiplicity, entry.Name, entry.IsRetired, entry.Keyword));
        });
    }

    [Fact]
    public void Every_private_entry_matches_pydicom()
    {
        var ours = DicomDictionary.PrivateEntries
            .ToDictionary(p => (p.Creator, p.Entry.Tag.Value, p.Entry.Mask), p => p.Entry);
        var theirs = Pydicom.Tables.Value.GetProperty("private").EnumerateArray().ToList();
        Assert.Equal(theirs.Count, ours.Count);
        Assert.All(theirs, r =>
        {
            // Row: creator, pattern (lower-case hex, 'x' for any nibble), VR, VM, name, retired.
            var pattern = r[1].GetString()!.ToUpperInvariant().Replace('X', 'x');
            var key = (r[0].GetString()!, Hex(pattern.Replace('x', '0')), Mask(pattern, evenGroups: false));
            Assert.True(ours.TryGetValue(key, out var entry), $"{key.Item1} {pattern}");
            Assert.Equal((Pydicom.VRs(r[2]), r[3].GetString(), r[4].GetString(), r[5].GetString()!.Length > 0),
                (Sorted(entry), entry.ValueMultiplicity, entry.Name, entry.IsRetired));
        });
    }

    private static string Sorted(DicomDictionaryEntry entry) =>
        string.Join(" ", entry.ValueRepresentations.Select(v => v.Code).Order(StringComparer.Ordinal));

    private static uint Hex(JsonElement e) => Hex(e.GetString()!);

    private static uint Hex(string s) => uint.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static (uint, uint) RepeaterKey(string pattern) =>
        (Hex(pattern.Replace('x', '0')), Mask(pattern, evenGroups: true));

    // An 'x' nibble is free; in repeating groups the group's last digit stays even (PS3.5 7.6).
    private static uint Mask(string pattern, bool evenGroups) => pattern
        .Select((c, i) => c != 'x' ? 0xFu : evenGroups && i == 3 ? 1u : 0u)
        .Aggregate(0u, (mask, nibble) => (mask << 4) | nibble);
}

/// <summary>pydicom's tables (the generator's source) dumped by /usr/bin/python3, loaded once per test run.</summary>
internal static class Pydicom
{
    private const string Script = """
        import json, sys
        sys.path.insert(0, '/usr/lib/python3/dist-packages')
        from pydicom._dicom_dict import DicomDictionary, RepeatersDictionary
        from pydicom._uid_dict import UID_dictionary
        from pydicom._private_dict import private_dictionaries
        json.dump({
            'public': [['%08X' % t] + list(v) for t, v in DicomDictionary.items()],
            'repeaters': [[p] + list(v) for p, v in RepeatersDictionary.items()],
            'uids': [[u] + list(v) for u, v in UID_dictionary.items()],
            'private': [[c, p] + list(v) for c, d in private_dictionaries.items() for p, v in d.items()],
        }, sys.stdout)
        """;

    public static readonly Lazy<JsonElement> Tables = new(Load);

    /// <summary>pydicom's VR column ("US or SS", private "OB_OW", "NONE") as sorted codes.</summary>
    public static string VRs(JsonElement vr) => string.Join(" ",
        vr.GetString()!.Replace("NONE", "", StringComparison.Ordinal)
            .Split([" or ", "_"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Order(StringComparer.Ordinal));

    private static JsonElement Load()
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        using var python = Process.Start(start) ?? throw new InvalidOperationException("cannot start /usr/bin/python3");
        var json = python.StandardOutput.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, "these tests need /usr/bin/python3 with pydicom 2.3.1 (python3-pydicom)");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
