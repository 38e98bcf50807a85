using System.Globalization;

namespace CxrPacsAgent.Dicom.Data;

public sealed partial class DicomDataset
{
    /// <summary>The whole text value (all values, backslashes kept) without padding; null when absent.</summary>
    public string? GetText(DicomTag tag)
    {
        if (!TryGetElement(tag, out var element))
        {
            return null;
        }
        RequireKind(element, DicomVRKind.Text);
        var text = element.VR.UsesSpecificCharacterSet
            ? CharacterSet.Decode(element.Buffer.Memory.Span, element.VR)
            : DicomText.DecodeAscii(element.Buffer.Memory.Span);
        return DicomText.TrimPadding(text, element.VR);
    }

    /// <summary>The values of a text attribute; LT, ST, UT and UR have exactly one.</summary>
    public string[] GetStrings(DicomTag tag)
    {
        var text = GetText(tag);
        if (text is null)
        {
            return [];
        }
        var vr = this[tag]!.VR;
        return vr.AllowsMultipleValues ? DicomText.SplitValues(text) : text.Length == 0 ? [] : [text];
    }

    /// <summary>Value <paramref name="index"/> of a text attribute, or null if absent or empty.</summary>
    public string? GetString(DicomTag tag, int index = 0)
    {
        var values = GetStrings(tag);
        return index < values.Length && values[index].Length > 0 ? values[index] : null;
    }

    public bool TryGetString(DicomTag tag, out string value)
    {
        value = GetString(tag)!;
        return value is not null;
    }

    /// <summary>
    /// Sets a text attribute. The VR defaults to the dictionary's; each value is checked against its VR's rules and the
    /// whole is encoded with this data set's character set and padded to even length.
    /// </summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(values);
        if (vr.Kind != DicomVRKind.Text)
        {
            throw new ArgumentException($"{tag} has VR {vr.Code}, which does not hold text.", nameof(vr));
        }
        if (values.Length > 1 && !vr.AllowsMultipleValues)
        {
            throw new ArgumentException($"VR {vr.Code} holds a single value; {tag} was given {values.Length}.", nameof(values));
        }
        foreach (var value in values)
        {
            DicomValueRules.Check(tag, vr, value);
        }
        var text = string.Join(DicomText.ValueSeparator, values);
        if (tag == DicomTags.SpecificCharacterSet)
        {
            characterSet = null;
        }
        var bytes = vr.UsesSpecificCharacterSet ? CharacterSet.Encode(text, vr) : System.Text.Encoding.ASCII.GetBytes(text);
        return Add(new DicomElement(tag, vr, Pad(bytes, vr.PaddingByte)));
    }

    /// <summary>Sets a text attribute with the dictionary's VR.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params string[] values) =>
        AddOrUpdate(tag, DicomDictionary.GetVR(tag), values);

    public int? GetInt32OrNull(DicomTag tag) => TryGetItem(tag, out _) ? GetInt32(tag) : null;

    /// <summary>An integer from IS text or any integer binary VR.</summary>
    public int GetInt32(DicomTag tag, int index = 0)
    {
        var element = RequireElement(tag);
        if (element.VR == DicomVR.IS)
        {
            var s = GetString(tag, index) ?? throw new InvalidOperationException($"{tag} has no value {index}.");
            return int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
        }
        return checked((int)GetInt64(tag, index));
    }

    /// <summary>A number from DS or IS text or any numeric binary VR.</summary>
    public double GetDouble(DicomTag tag, int index = 0)
    {
        var element = RequireElement(tag);
        if (element.VR == DicomVR.DS || element.VR == DicomVR.IS)
        {
            var s = GetString(tag, index) ?? throw new InvalidOperationException($"{tag} has no value {index}.");
            return double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return element.VR == DicomVR.FD || element.VR == DicomVR.OD ? GetValue<double>(tag, index)
            : element.VR == DicomVR.FL || element.VR == DicomVR.OF ? GetValue<float>(tag, index)
            : GetInt64(tag, index);
    }

    /// <summary>Sets a DS attribute from numbers, each written in at most 16 characters.</summary>
    public DicomDataset AddOrUpdateDecimal(DicomTag tag, params double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return AddOrUpdate(tag, DicomVR.DS, [.. values.Select(DicomValueRules.FormatDecimalString)]);
    }

    internal static byte[] Pad(byte[] bytes, byte padding)
    {
        if ((bytes.Length & 1) == 0)
        {
            return bytes;
        }
        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = padding;
        return padded;
    }

    private DicomElement RequireElement(DicomTag tag) =>
        TryGetElement(tag, out var element) ? element : throw new KeyNotFoundException($"{tag} is not in the data set.");

    private static void RequireKind(DicomElement element, DicomVRKind kind)
    {
        if (element.VR.Kind != kind)
        {
            throw new InvalidOperationException($"{element.Tag} has VR {element.VR.Code}, not a {kind} VR.");
        }
    }
}
