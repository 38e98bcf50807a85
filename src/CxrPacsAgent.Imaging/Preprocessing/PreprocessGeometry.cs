namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>How source pixels became model pixels: the crop, then a scale into <see cref="Content"/> of a square of <see cref="Size"/>.</summary>
public sealed record PreprocessGeometry(int SourceWidth, int SourceHeight, PixelRect Crop, PixelRect Content, int Size)
{
    /// <summary>Applies the same crop and resize to another picture of the source's size (a reference mask, a heatmap).</summary>
    public GrayImage Apply(GrayImage source, float padValue = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Width != SourceWidth || source.Height != SourceHeight)
        {
            throw new ArgumentException($"Expected {SourceWidth}x{SourceHeight}, got {source.Width}x{source.Height}.", nameof(source));
        }
        return AspectResize.Apply(source.Crop(Crop), Size, padValue);
    }
}
