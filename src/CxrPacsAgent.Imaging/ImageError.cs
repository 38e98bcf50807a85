namespace CxrPacsAgent.Imaging;

/// <summary>Why an image cannot be preprocessed. Bad pixels are a value the caller handles, never a crash.</summary>
public enum ImageError
{
    /// <summary>Zero width or height.</summary>
    EmptyImage,

    /// <summary>NaN or infinite pixels.</summary>
    NonFinitePixels,

    /// <summary>Every pixel (nearly) the same brightness, e.g. all black: there is no radiograph to score.</summary>
    BlankImage,

    /// <summary>The file could not be decoded as PNG/JPEG/DICOM pixels.</summary>
    Unreadable,
}
