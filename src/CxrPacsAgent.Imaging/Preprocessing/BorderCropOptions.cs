namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>When an edge row or column counts as "black border or burned-in text only".</summary>
public sealed record BorderCropOptions
{
    /// <summary>A pixel is dark below lo + DarkLevel·(hi − lo), lo/hi being the 0.5 %/99.5 % percentiles. Default 0.10.</summary>
    public double DarkLevel { get; init; } = 0.10;

    /// <summary>
    /// A line is a border when fewer than this fraction of its pixels are not dark. Text and markers cover a few per cent
    /// of a line; anatomy covers most of it. Default 0.20.
    /// </summary>
    public double MaxContentFraction { get; init; } = 0.20;

    /// <summary>A border ends where this many consecutive lines have content (ignores thin frames). Default 3.</summary>
    public int ConfirmLines { get; init; } = 3;

    /// <summary>Never crop more than this fraction of the width or height from one side, so lung is never cut. Default 0.25.</summary>
    public double MaxSideFraction { get; init; } = 0.25;
}
