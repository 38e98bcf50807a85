using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Dicom.Json;

/// <summary>
/// The DICOM JSON Model of PS3.18 F.2: an object keyed by "GGGGEEEE" with "vr" and "Value" (or "InlineBinary").
/// Bulk values are inlined as base64; encapsulated pixel data as its item stream (offset table and fragment
/// items, without the sequence delimiter), as pydicom does.
/// </summary>
public static class DicomJsonWriter
{
    public static void Write(Utf8JsonWriter writer, DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        writer.WriteStartObject();
        foreach (var item in dataset)
        {
            writer.WritePropertyName(string.Create(CultureInfo.InvariantCulture, $"{item.Tag.Value:X8}"));
            writer.WriteStartObject();
            writer.WriteString("vr", item.VR.Code);
            WriteValue(writer, dataset, item);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    public static string Serialize(DicomDataset dataset, bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Write(writer, dataset);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter writer, DicomDataset dataset, DicomItem item)
    {
        switch (item)
        {
            case DicomSequence sequence:
                if (sequence.Items.Count > 0)
                {
                    writer.WriteStartArray("Value");
                    foreach (var child in sequence.Items)
                    {
                        Write(writer, child);
                    }
                    writer.WriteEndArray();
                }
                return;
            case DicomFragmentSequence fragments:
                writer.WriteBase64String("InlineBinary", EncodeFragments(fragments));
                return;
            case DicomElement element when element.Length == 0:
                return;
            case DicomElement element when element.VR.Kind == DicomVRKind.Bulk:
                writer.WriteBase64String("InlineBinary", element.Buffer.Memory.Span);
                return;
            case DicomElement element:
                writer.WriteStartArray("Value");
                WriteValues(writer, dataset, element);
                writer.WriteEndArray();
                return;
        }
    }

    private static void WriteValues(Utf8JsonWriter writer, DicomDataset dataset, DicomElement element)
    {
        var span = element.Buffer.Memory.Span;
        var vr = element.VR;
        switch (vr.Code)
        {
            case "AT":
                foreach (var tag in dataset.GetTags(element.Tag))
                {
                    writer.WriteStringValue(string.Create(CultureInfo.InvariantCulture, $"{tag.Value:X8}"));
                }
                return;
            case "US": Each(span, 2, s => writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(s))); return;
            case "SS": Each(span, 2, s => writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(s))); return;
            case "UL": Each(span, 4, s => writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(s))); return;
            case "SL": Each(span, 4, s => writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(s))); return;
            case "UV": Each(span, 8, s => writer.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(s))); return;
            case "SV": Each(span, 8, s => writer.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(s))); return;
            case "FL": Each(span, 4, s => WriteFloat(writer, BinaryPrimitives.ReadSingleLittleEndian(s))); return;
            case "FD": Each(span, 8, s => WriteFloat(writer, BinaryPrimitives.ReadDoubleLittleEndian(s))); return;
        }
        foreach (var value in dataset.GetStrings(element.Tag).DefaultIfEmpty(""))
        {
            if (value.Length == 0)
            {
                writer.WriteNullValue();
            }
            else if (vr == DicomVR.PN)
            {
                WritePersonName(writer, value);
            }
            else if ((vr == DicomVR.DS || vr == DicomVR.IS)
                && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                writer.WriteNumberValue(number);
            }
            else
            {
                writer.WriteStringValue(value);
            }
        }
    }

    /// <summary>F.2.2: a PN value is an object of up to three component groups.</summary>
    private static void WritePersonName(Utf8JsonWriter writer, string value)
    {
        string[] names = ["Alphabetic", "Ideographic", "Phonetic"];
        var groups = value.Split('=');
        writer.WriteStartObject();
        for (var i = 0; i < Math.Min(groups.Length, names.Length); i++)
        {
            if (groups[i].Length > 0)
            {
                writer.WriteString(names[i], groups[i]);
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteFloat(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private delegate void SpanAction(ReadOnlySpan<byte> value);

    private static void Each(ReadOnlySpan<byte> span, int size, SpanAction action)
    {
        for (var i = 0; i + size <= span.Length; i += size)
        {
            action(span.Slice(i, size));
        }
    }

    private static byte[] EncodeFragments(DicomFragmentSequence fragments)
    {
        var dataset = new DicomDataset([fragments]);
        using var stream = new MemoryStream();
        DicomDatasetWriter.Write(stream, dataset, DicomTransferSyntax.JpegLossless);
        // The value is the item stream between the element header (12 bytes) and the Sequence Delimitation Item
        // (8 bytes), as pydicom holds encapsulated pixel data.
        return stream.ToArray()[12..^8];
    }
}
