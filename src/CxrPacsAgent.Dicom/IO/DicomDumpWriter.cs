using System.Globalization;
using System.Text;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.IO;

/// <summary>A human-readable listing of a data set, one element a line, in the manner of dcmdump.</summary>
public static class DicomDumpWriter
{
    private const int MaxShown = 64;

    public static void Write(TextWriter output, DicomDataset dataset, int depth = 0)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(dataset);
        var indent = new string(' ', depth * 2);
        foreach (var item in dataset)
        {
            var keyword = DicomDictionary.TryGetEntry(item.Tag, out var entry) ? entry.Keyword : "";
            switch (item)
            {
                case DicomSequence sequence:
                    output.WriteLine(FormattableString.Invariant($"{indent}{item.Tag} SQ ({sequence.Items.Count} items) # {keyword}"));
                    for (var i = 0; i < sequence.Items.Count; i++)
                    {
                        output.WriteLine(FormattableString.Invariant($"{indent}  (FFFE,E000) item {i + 1}"));
                        Write(output, sequence.Items[i], depth + 2);
                    }
                    break;
                case DicomFragmentSequence fragments:
                    output.WriteLine(FormattableString.Invariant($"{indent}{item.Tag} {item.VR.Code} (encapsulated: offset table {fragments.OffsetTable.Length} bytes, {fragments.Fragments.Count} fragments, {fragments.Fragments.Sum(f => f.Length)} bytes) # {keyword}"));
                    break;
                case DicomElement element:
                    output.WriteLine(FormattableString.Invariant($"{indent}{item.Tag} {item.VR.Code} {Describe(dataset, element)} # {element.Length}, {keyword}"));
                    break;
            }
        }
    }

    private static string Describe(DicomDataset dataset, DicomElement element)
    {
        if (element.Length == 0)
        {
            return "(no value)";
        }
        try
        {
            return element.VR.Kind switch
            {
                DicomVRKind.Text => "[" + Shorten(dataset.GetText(element.Tag) ?? "") + "]",
                DicomVRKind.Tag => string.Join('\\', dataset.GetTags(element.Tag)),
                DicomVRKind.Binary => Numbers(dataset, element),
                _ => element.Length > MaxShown ? $"({element.Length} bytes)" : Hex(element.Buffer.Memory.Span),
            };
        }
        catch (Exception e) when (e is DicomCharacterSetException or DicomFormatException or InvalidOperationException)
        {
            // A dump must show damaged values rather than stop at them.
            return $"(unreadable: {e.Message})";
        }
    }

    private static string Numbers(DicomDataset dataset, DicomElement element)
    {
        var count = (int)(element.Length / element.VR.UnitSize);
        var shown = Enumerable.Range(0, Math.Min(count, 16)).Select(i => element.VR.Code switch
        {
            "FL" => dataset.GetValue<float>(element.Tag, i).ToString(CultureInfo.InvariantCulture),
            "FD" => dataset.GetValue<double>(element.Tag, i).ToString(CultureInfo.InvariantCulture),
            "UV" => dataset.GetValue<ulong>(element.Tag, i).ToString(CultureInfo.InvariantCulture),
            _ => dataset.GetInt64(element.Tag, i).ToString(CultureInfo.InvariantCulture),
        });
        return string.Join('\\', shown) + (count > 16 ? $"\\... ({count} values)" : "");
    }

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            sb.Append(sb.Length == 0 ? "" : "\\").Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string Shorten(string text) => text.Length > 256 ? text[..256] + "..." : text;
}
