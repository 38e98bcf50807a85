using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Reports;

/// <summary>
/// A coded concept (PS3.3 8.8, the Code Sequence Macro): value, coding scheme designator and meaning, written
/// (value, scheme, "meaning") as the standard does. Values longer than the 16 characters of SH go to Long Code Value.
/// </summary>
public sealed record CodedConcept
{
    public CodedConcept(string value, string scheme, string meaning, string? schemeVersion = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        ArgumentException.ThrowIfNullOrWhiteSpace(meaning);
        if (value.Length > 64)
        {
            throw new ArgumentException($"code value '{value}' is longer than the 64 characters this toolkit writes", nameof(value));
        }
        if (DicomValueRules.Violation(DicomVR.SH, scheme) is { } schemeProblem)
        {
            throw new ArgumentException($"coding scheme designator '{scheme}': {schemeProblem}", nameof(scheme));
        }
        if (DicomValueRules.Violation(DicomVR.LO, meaning) is { } meaningProblem)
        {
            throw new ArgumentException($"code meaning '{meaning}': {meaningProblem}", nameof(meaning));
        }
        (Value, Scheme, Meaning, SchemeVersion) = (value, scheme, meaning, schemeVersion);
    }

    /// <summary>Code Value (0008,0100), or Long Code Value (0008,0119) when longer than 16 characters.</summary>
    public string Value { get; }

    /// <summary>Coding Scheme Designator (0008,0102), e.g. DCM, SCT, UCUM, or a private "99..." scheme.</summary>
    public string Scheme { get; }

    /// <summary>Code Meaning (0008,0104): what viewers show.</summary>
    public string Meaning { get; }

    /// <summary>Coding Scheme Version (0008,0103), only where the designator alone is ambiguous.</summary>
    public string? SchemeVersion { get; }

    public override string ToString() => $"({Value}, {Scheme}, \"{Meaning}\")";

    /// <summary>An item of a code sequence holding this concept.</summary>
    public DicomDataset ToItem(DicomDataset parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var item = new DicomDataset { Parent = parent };
        WriteTo(item);
        return item;
    }

    /// <summary>Writes the macro's attributes into <paramref name="item"/> (whose character set encodes the meaning).</summary>
    public void WriteTo(DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        item.AddOrUpdate(Value.Length <= 16 ? DicomTags.CodeValue : DicomTags.LongCodeValue, Value);
        item.AddOrUpdate(DicomTags.CodingSchemeDesignator, Scheme);
        if (SchemeVersion is not null)
        {
            item.AddOrUpdate(DicomTags.CodingSchemeVersion, SchemeVersion);
        }
        item.AddOrUpdate(DicomTags.CodeMeaning, Meaning);
    }

    /// <summary>The concept in one code sequence item, or null when it lacks a value, scheme or meaning.</summary>
    public static CodedConcept? TryRead(DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var value = item.GetString(DicomTags.CodeValue) ?? item.GetString(DicomTags.LongCodeValue)
            ?? item.GetString(DicomTags.URNCodeValue);
        var scheme = item.GetString(DicomTags.CodingSchemeDesignator) ?? (item.Contains(DicomTags.URNCodeValue) ? "URN" : null);
        var meaning = item.GetString(DicomTags.CodeMeaning);
        return value is null || scheme is null || meaning is null
            ? null
            : new CodedConcept(value.Trim(), scheme.Trim(), meaning.Trim(), item.GetString(DicomTags.CodingSchemeVersion)?.Trim());
    }
}
