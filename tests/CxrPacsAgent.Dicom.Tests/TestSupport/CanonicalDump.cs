using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Dicom.Tests.TestSupport;

/// <summary>
/// Our reading of a file in the canonical JSON form that IO/pydicom_dump.py prints (see its docstring), so the two
/// readers can be compared element by element. Text elements also carry "raw", their bytes, for comparisons where the
/// other side could only see bytes (an implicit VR file's unknown private element).
/// </summary>
internal static class CanonicalDump
{
    private const int InlineBytes = 128;

    /// <summary>
    /// The dump of <paramref name="file"/>; <paramref name="asWritten"/> gives odd-length values the padding byte our
    /// writer adds, to compare with what a reader sees in a file we wrote.
    /// </summary>
    public static JsonObject Of(DicomFile file, bool asWritten = false)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new JsonObject { ["meta"] = Of(file.FileMetaInformation, asWritten), ["dataset"] = Of(file.Dataset, asWritten) };
    }

    public static JsonArray Of(DicomDataset dataset, bool asWritten = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var elements = new JsonArray();
        foreach (var item in dataset)
        {
            elements.Add(Element(item, dataset, asWritten));
        }
        return elements;
    }

    public static string Bytes(ReadOnlySpan<byte> data) => data.Length <= InlineBytes
        ? Convert.ToHexStringLower(data)
        : string.Create(CultureInfo.InvariantCulture, $"sha256:{Convert.ToHexStringLower(SHA256.HashData(data))}:{data.Length}");

    private static JsonObject Element(DicomItem item, DicomDataset owner, bool asWritten)
    {
        var node = new JsonObject
        {
            ["tag"] = item.Tag.Value.ToString("X8", CultureInfo.InvariantCulture),
            ["vr"] = item.VR.Code,
        };
        switch (item)
        {
            case DicomSequence sequence:
                node["items"] = new JsonArray([.. sequence.Items.Select(child => (JsonNode)Of(child, asWritten))]);
                break;
            case DicomFragmentSequence fragments:
                node["offsets"] = Bytes(fragments.OffsetTable.Memory.Span);
                node["fragments"] = new JsonArray([.. fragments.Fragments.Select(f => (JsonNode)Bytes(f.Memory.Span)!)]);
                break;
            case DicomElement element when element.VR.IsText:
                node["values"] = new JsonArray([.. TextValues(owner, element).Select(v => (JsonNode)v!)]);
                node["raw"] = Bytes(Value(element, asWritten));
                break;
            case DicomElement element:
                node["bytes"] = Bytes(Value(element, asWritten));
                break;
        }
        return node;
    }

    private static ReadOnlySpan<byte> Value(DicomElement element, bool asWritten)
    {
        var bytes = element.Buffer.Memory;
        if (!asWritten || (bytes.Length & 1) == 0)
        {
            return bytes.Span;
        }
        byte[] padded = [.. bytes.Span, element.VR.PaddingByte];
        return padded;
    }

    // The same normalisation as the script: multi-valued VRs lose padding at both ends of each value, LT/ST/UT/UR only
    // trailing padding, and an empty value list is [].
    private static string[] TextValues(DicomDataset owner, DicomElement element)
    {
        var text = owner.GetText(element.Tag) ?? "";
        if (!element.VR.AllowsMultipleValues)
        {
            var single = text.TrimEnd(' ', '\0');
            return single.Length == 0 ? [] : [single];
        }
        var values = text.Split(DicomText.ValueSeparator).Select(v => v.Trim(' ', '\0')).ToArray();
        return values is [""] ? [] : values;
    }
}
