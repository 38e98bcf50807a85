namespace CxrPacsAgent.Dicom.Reports;

/// <summary>Value Type (0040,A040) of a content item (PS3.3 C.17.3.2.1), the ones this toolkit writes and reads.</summary>
public enum ContentValueType
{
    Container,
    Text,
    Code,
    Num,
    UidRef,
    DateTime,
    PersonName,
    Image,
    Composite,

    /// <summary>Any other value type, read but not interpreted.</summary>
    Uninterpreted,

    /// <summary>Not a value type: a by-reference relationship to another item.</summary>
    Reference,
}

/// <summary>The Enumerated Values of Value Type as encoded.</summary>
public static class ContentValueTypes
{
    private static readonly string[] Terms = ["CONTAINER", "TEXT", "CODE", "NUM", "UIDREF", "DATETIME", "PNAME", "IMAGE", "COMPOSITE"];

    public static string ToTerm(this ContentValueType type) =>
        (int)type < Terms.Length ? Terms[(int)type] : throw new ArgumentException($"{type} has no Value Type term", nameof(type));

    /// <summary>The value type a term names, or null for one this toolkit does not read (e.g. SCOORD, WAVEFORM).</summary>
    public static ContentValueType? Parse(string? term)
    {
        var index = Array.IndexOf(Terms, term?.Trim());
        return index < 0 ? null : (ContentValueType)index;
    }
}
