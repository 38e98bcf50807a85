namespace CxrPacsAgent.Dicom.IO;

/// <summary>Choices a writer may make where PS3.5 allows more than one encoding.</summary>
public sealed record DicomWriteOptions
{
    public static DicomWriteOptions Default { get; } = new();

    /// <summary>
    /// Write sequences and items with defined lengths instead of delimiters. Undefined lengths (the default) stream
    /// without a second pass and are what most encoders emit.
    /// </summary>
    public bool DefinedLengthSequences { get; init; }
}
