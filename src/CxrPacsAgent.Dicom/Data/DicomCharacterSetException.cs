namespace CxrPacsAgent.Dicom.Data;

/// <summary>
/// A Specific Character Set (0008,0005) term that is not a defined term of PS3.3 C.12.1.1.2, or text that the
/// declared character set cannot represent.
/// </summary>
public sealed class DicomCharacterSetException : Exception
{
    public DicomCharacterSetException() { }

    public DicomCharacterSetException(string message) : base(message) { }

    public DicomCharacterSetException(string message, Exception innerException) : base(message, innerException) { }

    public DicomCharacterSetException(string message, string? term) : base(message) => Term = term;

    /// <summary>The offending term when the failure is an unknown term; otherwise null.</summary>
    public string? Term { get; }
}
