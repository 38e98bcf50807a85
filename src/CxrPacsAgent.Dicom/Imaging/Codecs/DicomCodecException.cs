namespace CxrPacsAgent.Dicom.Imaging.Codecs;

/// <summary>A compressed frame cannot be decoded: names the problem and the byte offset within the frame's bytes.</summary>
public sealed class DicomCodecException : Exception
{
    public DicomCodecException() { }

    public DicomCodecException(string message) : base(message) { }

    public DicomCodecException(string message, Exception innerException) : base(message, innerException) { }

    public DicomCodecException(string codec, string problem, long offset)
        : base($"{codec}: {problem} (at byte offset {offset} of the frame)")
    {
        Codec = codec;
        Problem = problem;
        Offset = offset;
    }

    /// <summary>The codec that failed, e.g. "JPEG lossless".</summary>
    public string Codec { get; } = "";

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; } = "";

    /// <summary>Byte offset within the frame's compressed bytes; -1 when unknown.</summary>
    public long Offset { get; } = -1;
}
