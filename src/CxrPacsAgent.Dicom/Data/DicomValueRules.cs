using System.Globalization;

namespace CxrPacsAgent.Dicom.Data;

/// <summary>The character repertoire and length rules of PS3.5 Table 6.2-1, checked when a value is set.</summary>
public static class DicomValueRules
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the tag when <paramref name="value"/> breaks its VR's rules.</summary>
    public static void Check(DicomTag tag, DicomVR vr, string value)
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(value);
        if (Violation(vr, value) is { } problem)
        {
            throw new ArgumentException($"'{value}' is not a valid {vr.Code} value for {tag}: {problem}.", nameof(value));
        }
    }

    /// <summary>What is wrong with <paramref name="value"/> as one value of <paramref name="vr"/>, or null if nothing.</summary>
    public static string? Violation(DicomVR vr, string value)
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(value);
        // PN's limit applies to each component group, not to the whole value.
        var longest = vr == DicomVR.PN ? value.Split('=').Max(g => g.Length) : value.Length;
        if (vr.MaxLength > 0 && longest > vr.MaxLength)
        {
            return $"longer than {vr.MaxLength} characters";
        }
        if (vr.AllowsMultipleValues && value.Contains(DicomText.ValueSeparator, StringComparison.Ordinal))
        {
            return "a backslash separates values; pass them separately";
        }
        return vr.Code switch
        {
            "CS" => AllOf(value, c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or ' ' or '_', "CS allows A-Z, 0-9, space and underscore"),
            "UI" => value.Length == 0 || DicomUid.IsValid(value) ? null : "not a UID of digits and dots (PS3.5 9.1)",
            "DA" => AllOf(value, c => char.IsAsciiDigit(c) || c == '-', "DA is YYYYMMDD"),
            "TM" => AllOf(value, c => char.IsAsciiDigit(c) || c is '.' or '-' or ':', "TM is HHMMSS.FFFFFF"),
            "DT" => AllOf(value, c => char.IsAsciiDigit(c) || c is '.' or '-' or '+', "DT is YYYYMMDDHHMMSS.FFFFFF&ZZXX"),
            "DS" => AllOf(value, c => char.IsAsciiDigit(c) || c is '+' or '-' or '.' or 'e' or 'E' or ' ', "DS is a decimal number"),
            "IS" => AllOf(value, c => char.IsAsciiDigit(c) || c is '+' or '-' or ' ', "IS is an integer"),
            "AS" => value.Length == 0 || (value.Length == 4 && value[..3].All(char.IsAsciiDigit) && "DWMY".Contains(value[3], StringComparison.Ordinal))
                ? null : "AS is nnnD, nnnW, nnnM or nnnY",
            "AE" => AllOf(value, c => c >= ' ' && c != '\\' && c < 0x7F, "AE allows printable ASCII without backslash"),
            "SH" or "LO" or "PN" or "UC" => AllOf(value, c => c >= ' ' || c == '\u001B', "control characters other than ESC are not allowed"),
            _ => null,
        };
    }

    /// <summary>Formats a number as a DS value of at most 16 characters, losing the least precision necessary.</summary>
    public static string FormatDecimalString(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "DS cannot hold NaN or infinity.");
        }
        for (var digits = 17; digits > 0; digits--)
        {
            var s = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (s.Length <= 16)
            {
                return s;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(value), value, "no 16-character DS form exists.");
    }

    private static string? AllOf(string value, Func<char, bool> allowed, string rule) => value.All(allowed) ? null : rule;
}
