namespace CxrPacsAgent.Dicom.Data;

/// <summary>
/// Malformed DICOM input. Names the element (when one was being read) and the byte offset in the stream where the
/// problem was found, so an operator can locate it with a hex dump.
/// </summary>
public sealed class DicomFormatException : Exception
{
    public DicomFormatException() { }

    public DicomFormatException(string message) : base(message) { }

    public DicomFormatException(string message, Exception innerException) : base(message, innerException) { }

    public DicomFormatException(string problem, DicomTag? tag, long offset, Exception? innerException = null)
        : base(Describe(problem, tag, offset), innerException)
    {
        Problem = problem;
        Tag = tag;
        Offset = offset;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; } = "";

    /// <summary>The element being read, if any.</summary>
    public DicomTag? Tag { get; }

    /// <summary>Byte offset from the start of the file or stream; -1 when unknown.</summary>
    public long Offset { get; } = -1;

    private static string Describe(string problem, DicomTag? tag, long offset) =>
        tag is { } t ? $"{problem} (element {t} at byte offset {offset})" : $"{problem} (at byte offset {offset})";
}
