namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>Contrast Limited Adaptive Histogram Equalisation settings (Zuiderveld 1994; OpenCV's conventions).</summary>
public sealed record ClaheOptions
{
    /// <summary>Tiles across. Default 8.</summary>
    public int TilesX { get; init; } = 8;

    /// <summary>Tiles down. Default 8.</summary>
    public int TilesY { get; init; } = 8;

    /// <summary>Clip limit as a multiple of the mean bin count (OpenCV's clipLimit). Default 2.0; ≤ 0 disables clipping.</summary>
    public double ClipLimit { get; init; } = 2.0;

    /// <summary>Histogram bins. Default 256, so the result matches 8-bit implementations.</summary>
    public int Bins { get; init; } = 256;
}
