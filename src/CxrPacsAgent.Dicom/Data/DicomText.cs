using System.Text;

namespace CxrPacsAgent.Dicom.Data;

/// <summary>Value-level text rules of PS3.5 6.2: multiplicity separators and insignificant padding.</summary>
public static class DicomText
{
    public const char ValueSeparator = '\\';

    public static string DecodeAscii(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>Splits a multi-valued string at backslashes and trims each value's insignificant spaces.</summary>
    public static string[] SplitValues(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = text.Split(ValueSeparator);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = values[i].Trim(' ', '\0');
        }
        return values.Length == 1 && values[0].Length == 0 ? [] : values;
    }

    /// <summary>
    /// Removes the padding of a whole value: trailing spaces and NULs always, leading spaces where PS3.5 Table 6.2-1 calls
    /// them insignificant (not LT, ST, UT, UR, whose leading spaces are text).
    /// </summary>
    public static string TrimPadding(string text, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(vr);
        var trimmed = text.TrimEnd(' ', '\0');
        return vr.AllowsMultipleValues && vr != DicomVR.UC ? trimmed.TrimStart(' ') : trimmed;
    }
}
