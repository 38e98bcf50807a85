namespace CxrPacsAgent.Dicom.Reports;

/// <summary>A content tree that cannot be read: what is wrong (<see cref="Error"/>) and where (<see cref="Position"/>).</summary>
public sealed class SrContentException : Exception
{
    public SrContentException(SrContentError error, string position, string message)
        : base($"content item {position}: {message}")
    {
        Error = error;
        Position = position;
    }

    public SrContentException() { }

    public SrContentException(string message) : base(message) { }

    public SrContentException(string message, Exception innerException) : base(message, innerException) { }

    public SrContentError Error { get; }

    /// <summary>The item's position as dsrdump numbers it: "1" the root, "1.2.1" its second child's first child.</summary>
    public string Position { get; } = "";
}
