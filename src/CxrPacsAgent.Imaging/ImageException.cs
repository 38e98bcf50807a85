namespace CxrPacsAgent.Imaging;

/// <summary>A typed failure of image loading or preprocessing; <see cref="Error"/> says which.</summary>
public sealed class ImageException : Exception
{
    public ImageException(ImageError error, string message, Exception? inner = null) : base(message, inner) => Error = error;

    public ImageException() : this(ImageError.Unreadable, "The image could not be processed.") { }

    public ImageException(string message) : this(ImageError.Unreadable, message) { }

    public ImageException(string message, Exception inner) : this(ImageError.Unreadable, message, inner) { }

    public ImageError Error { get; }
}
