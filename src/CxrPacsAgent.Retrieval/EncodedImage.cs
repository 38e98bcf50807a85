namespace CxrPacsAgent.Retrieval;

/// <summary>An image as the caller encoded it (e.g. a PNG), kept opaque: retrieval never decodes pixels.</summary>
public sealed record EncodedImage
{
    public EncodedImage(byte[] data, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(mediaType);
        if (data.Length == 0)
        {
            throw new ArgumentException("An encoded image needs at least one byte.", nameof(data));
        }
        Data = data;
        MediaType = mediaType;
    }

    /// <summary>The encoded bytes. Not copied: the caller hands them over.</summary>
#pragma warning disable CA1819 // Blobs of tens of kilobytes: a copy per access would be waste.
    public byte[] Data { get; }
#pragma warning restore CA1819

    /// <summary>IANA media type, e.g. "image/png".</summary>
    public string MediaType { get; }
}
