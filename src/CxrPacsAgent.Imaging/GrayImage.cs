namespace CxrPacsAgent.Imaging;

/// <summary>
/// A single-channel float image, row-major (index = y * Width + x). Brightness is displayed brightness:
/// 0 = black, 1 = white, which is what every preprocessing step and the model reason about.
/// </summary>
public sealed class GrayImage
{
    public GrayImage(int width, int height)
        : this(width, height, new float[checked(ValidateSize(width, height) * height)]) { }

    public GrayImage(int width, int height, float[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ValidateSize(width, height);
        if (pixels.Length != (long)width * height)
        {
            throw new ArgumentException($"{width}x{height} needs {(long)width * height} pixels, got {pixels.Length}.", nameof(pixels));
        }
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The pixels, row-major. Exposed as an array because every stage is a tight loop over it.</summary>
#pragma warning disable CA1819 // A copy per access would defeat the purpose.
    public float[] Pixels { get; }
#pragma warning restore CA1819

    public float this[int x, int y]
    {
        get => Pixels[(y * Width) + x];
        set => Pixels[(y * Width) + x] = value;
    }

    public Span<float> Row(int y) => Pixels.AsSpan(y * Width, Width);

    public GrayImage Clone() => new(Width, Height, (float[])Pixels.Clone());

    /// <summary>The pixels inside <paramref name="rect"/>, copied.</summary>
    public GrayImage Crop(PixelRect rect)
    {
        if (rect.X < 0 || rect.Y < 0 || rect.Width <= 0 || rect.Height <= 0 || rect.Right > Width || rect.Bottom > Height)
        {
            throw new ArgumentOutOfRangeException(nameof(rect), $"{rect} is not inside {Width}x{Height}.");
        }
        var result = new GrayImage(rect.Width, rect.Height);
        for (var y = 0; y < rect.Height; y++)
        {
            Pixels.AsSpan(((rect.Y + y) * Width) + rect.X, rect.Width).CopyTo(result.Row(y));
        }
        return result;
    }

    private static int ValidateSize(int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ImageException(ImageError.EmptyImage, $"An image needs a positive size, not {width}x{height}.");
        }
        return width;
    }
}
