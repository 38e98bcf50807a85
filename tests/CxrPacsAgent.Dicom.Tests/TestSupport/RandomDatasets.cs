using System.Globalization;
using CsCheck;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Tests.TestSupport;

/// <summary>A generated attribute: text values, bytes, or items (for SQ). Immutable, so CsCheck can print and shrink it.</summary>
public sealed record ElementSpec(DicomTag Tag, DicomVR VR, string[]? Text = null, byte[]? Bytes = null, ElementSpec[][]? Items = null)
{
    public override string ToString() => Items is not null ? $"{Tag} SQ[{string.Join(",", Items.Select(i => "{" + string.Join(" ", i) + "}"))}]"
        : Text is not null ? $"{Tag} {VR} '{string.Join('\\', Text)}'"
        : $"{Tag} {VR} {Convert.ToHexString(Bytes!)}";
}

/// <summary>
/// CsCheck generators of random data sets: public tags with their dictionary VR, private blocks (creator plus
/// elements of every VR), sequences nested a few levels, and values valid for each VR (PS3.5 Table 6.2-1).
/// </summary>
internal static class RandomDatasets
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";
    private const string Printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";

    /// <summary>Public tags whose dictionary entry names exactly one VR; an implicit VR reader recovers that VR.</summary>
    private static readonly DicomDictionaryEntry[] PublicEntries = [.. DicomDictionary.Entries.Where(e =>
        e.Mask == 0xFFFFFFFF && e.ValueRepresentations.Count == 1 && e.Tag.Element != 0
        && e.Tag.Group is not (0x0000 or 0x0002 or 0xFFFE) && e.Tag != DicomTags.SpecificCharacterSet)];

    private static readonly DicomTag[] PublicSequences = [.. PublicEntries.Where(e => e.ValueRepresentation == DicomVR.SQ).Select(e => e.Tag)];

    private static readonly DicomDictionaryEntry[] PublicValues = [.. PublicEntries.Where(e => e.ValueRepresentation != DicomVR.SQ)];

    private static readonly DicomVR[] ValueVRs = [.. DicomVR.All.Where(v => v != DicomVR.SQ)];

    /// <summary>
    /// A data set of up to <paramref name="depth"/> levels of sequences. Without <paramref name="privateSequences"/>
    /// no private SQ is made: written implicit VR with defined lengths it can only read back as UN bytes.
    /// </summary>
    public static Gen<ElementSpec[]> Dataset(int depth, bool privateSequences = true)
    {
        var leaf = Gen.Frequency((6, PublicElement.Select(e => new[] { e })), (2, PrivateBlock(depth, privateSequences)));
        var element = depth == 0 ? leaf : Gen.Frequency((8, leaf), (2, Sequence(depth, privateSequences).Select(e => new[] { e })));
        return element.Array[0, 6].Select(groups => Distinct(groups.SelectMany(g => g)));
    }

    public static DicomDataset Build(IEnumerable<ElementSpec> elements)
    {
        var dataset = new DicomDataset();
        foreach (var e in elements)
        {
            if (e.Items is not null)
            {
                dataset.AddSequence(e.Tag, [.. e.Items.Select(Build)]);
            }
            else if (e.Text is not null)
            {
                dataset.AddOrUpdate(e.Tag, e.VR, e.Text);
            }
            else if (e.VR == DicomVR.AT)
            {
                var tags = Enumerable.Range(0, e.Bytes!.Length / 4)
                    .Select(i => new DicomTag(BitConverter.ToUInt32(e.Bytes, 4 * i))).ToArray();
                dataset.AddOrUpdate(e.Tag, tags);
            }
            else
            {
                dataset.AddOrUpdateBytes(e.Tag, e.VR, e.Bytes);
            }
        }
        return dataset;
    }

    private static ElementSpec[] Distinct(IEnumerable<ElementSpec> elements) =>
        [.. elements.GroupBy(e => e.Tag).Select(g => g.First()).OrderBy(e => e.Tag)];

    private static Gen<ElementSpec> PublicElement { get; } =
        Gen.Int[0, PublicValues.Length - 1].Select(i => PublicValues[i])
            .SelectMany(e => Value(e.ValueRepresentation).Select(v => v with { Tag = e.Tag }));

    private static Gen<ElementSpec> Sequence(int depth, bool privateSequences)
    {
        var items = Gen.Int[0, 3].SelectMany(n => Dataset(depth - 1, privateSequences).Array[n]);
        var publicTag = Gen.Int[0, PublicSequences.Length - 1].Select(i => PublicSequences[i]);
        var tag = privateSequences ? Gen.OneOf(publicTag, PrivateTag(0x10)) : publicTag;
        return Gen.Select(tag, items, (t, i) => new ElementSpec(t, DicomVR.SQ, Items: i));
    }

    /// <summary>A private creator (gggg,00bb) and some of its elements (gggg,bbxx), which may hold any VR.</summary>
    private static Gen<ElementSpec[]> PrivateBlock(int depth, bool privateSequences)
    {
        var creator = Gen.Char[Upper + Digits + " _"].Array[1, 20].Select(c => "CXR TEST " + new string(c).Trim());
        var element = Gen.Int[0, ValueVRs.Length - 1].SelectMany(i => Value(ValueVRs[i]));
        var nested = depth > 0 && privateSequences
            ? Gen.Frequency((9, element), (1, Sequence(depth, privateSequences)))
            : element;
        return Gen.Select(Gen.Int[0x0004, 0x7FFE], Gen.Int[0x10, 0xFF], creator, Gen.Select(Gen.Byte, nested).Array[0, 4],
            (g, block, name, members) =>
            {
                var group = (ushort)((g * 2) + 1);
                var list = new List<ElementSpec> { new(new DicomTag(group, (ushort)block), DicomVR.LO, [name]) };
                list.AddRange(members.Select(m => m.Item2 with { Tag = new DicomTag(group, (ushort)((block << 8) | m.Item1)) }));
                return list.ToArray();
            });
    }

    private static Gen<DicomTag> PrivateTag(int minBlock) =>
        Gen.Select(Gen.Int[0x0004, 0x7FFE], Gen.Int[minBlock, 0xFF], Gen.Byte,
            (g, block, offset) => new DicomTag((ushort)((g * 2) + 1), (ushort)((block << 8) | offset)));

    /// <summary>A value valid for <paramref name="vr"/> (the tag is filled in by the caller).</summary>
    public static Gen<ElementSpec> Value(DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(vr);
        var placeholder = new DicomTag(0, 0);
        if (vr.Kind != DicomVRKind.Text)
        {
            // Whole values only, and OB/UN in byte pairs: an even length comes back byte for byte, unpadded.
            var size = vr.Kind == DicomVRKind.Tag ? 4 : Math.Max(vr.UnitSize, 2);
            var count = vr.Kind == DicomVRKind.Bulk ? Gen.Int[0, 48 / size] : Gen.Int[0, 4];
            return count.SelectMany(n => Gen.Byte.Array[n * size]).Select(b => new ElementSpec(placeholder, vr, Bytes: b));
        }
        var one = Text(vr);
        var values = vr.AllowsMultipleValues ? one.Array[1, 3] : one.Select(s => new[] { s });
        return values.Select(v => new ElementSpec(placeholder, vr, Text: v));
    }

    private static Gen<string> Chars(string alphabet, int min, int max) =>
        Gen.Char[alphabet].Array[min, max].Select(c => new string(c));

    private static Gen<string> Text(DicomVR vr) => vr.Code switch
    {
        "AE" => Chars(Upper + Digits + "_-", 1, 16),
        "AS" => Gen.Select(Gen.Int[0, 999], Gen.Char["DWMY"], (n, u) => n.ToString("D3", CultureInfo.InvariantCulture) + u),
        "CS" => Chars(Upper + Digits + "_", 0, 16),
        "DA" => Gen.Select(Gen.Int[1900, 2099], Gen.Int[1, 12], Gen.Int[1, 28], (y, m, d) => $"{y:D4}{m:D2}{d:D2}"),
        "DS" => Gen.Double[-1e9, 1e9].Select(DicomValueRules.FormatDecimalString),
        "DT" => Gen.Select(Gen.Int[1900, 2099], Gen.Int[0, 23], Gen.Int[0, 999_999], (y, h, f) => $"{y:D4}0615{h:D2}3000.{f:D6}"),
        "IS" => Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture)),
        "TM" => Gen.Select(Gen.Int[0, 23], Gen.Int[0, 59], Gen.Int[0, 999], (h, m, f) => $"{h:D2}{m:D2}00.{f:D3}"),
        "UI" => Gen.Int[0, int.MaxValue].Array[1, 5].Select(parts => "1.2." + string.Join('.', parts)),
        "PN" => Gen.Select(Chars(Upper, 1, 20), Chars(Upper, 0, 20), (f, g) => g.Length == 0 ? f : $"{f}^{g}"),
        "UR" => Chars(Upper + Digits + "abcdefghijklmnopqrstuvwxyz/:.-_~%?=&", 1, 80),
        "LT" or "ST" or "UT" => Chars(Printable + "\\\r\n", 0, 200).Select(s => s.TrimEnd(' ')),
        "UC" => Chars(Printable, 0, 80).Select(s => s.Trim(' ')),
        _ => Chars(Printable, 0, vr.MaxLength).Select(s => s.Trim(' ')), // SH, LO
    };
}
