using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Worker.Results;

/// <summary>Something about the input that limits the result, in words a radiologist reads in the SR and on the picture.</summary>
/// <param name="Name">Short stable name for logs and metrics (e.g. "lossy-source").</param>
/// <param name="Text">What it means for the result.</param>
public sealed record QualityFlag(string Name, string Text)
{
    public static readonly QualityFlag LossySource =
        new("lossy-source", "The source image was lossy compressed; fine detail may be lost.");

    /// <summary>Flags the source header raises by itself: Lossy Image Compression (0028,2110) "01".</summary>
    public static IReadOnlyList<QualityFlag> FromSource(DicomDataset source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.GetString(DicomTags.LossyImageCompression)?.Trim() == "01" ? [LossySource] : [];
    }
}
