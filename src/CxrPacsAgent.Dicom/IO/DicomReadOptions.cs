namespace CxrPacsAgent.Dicom.IO;

/// <summary>Limits and policies for reading a data set; the defaults suit files from any real modality.</summary>
public sealed record DicomReadOptions
{
    public static DicomReadOptions Default { get; } = new();

    /// <summary>Values at least this long stay in their file until used (only when reading from a file).</summary>
    public int DeferThreshold { get; init; } = 64 * 1024;

    /// <summary>Deepest sequence nesting accepted; deeper input is rejected rather than risking the stack.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>
    /// Reject odd value lengths (PS3.5 7.1.1 requires even ones). Off by default: several real encoders write them, and
    /// pydicom and DCMTK accept them.
    /// </summary>
    public bool RejectOddLengths { get; init; }

    /// <summary>Largest data set a Deflated Explicit VR Little Endian file may inflate to; a bigger one is rejected.</summary>
    public int MaxInflatedLength { get; init; } = 1 << 30;

    /// <summary>Stop before the first top-level element at or after this tag (e.g. read only the header).</summary>
    public Data.DicomTag? StopAt { get; init; }
}
