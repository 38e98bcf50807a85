namespace CxrPacsAgent.Imaging.Segmentation;

/// <summary>Settings of <see cref="ClassicalLungSegmenter"/>; distances are in pixels at a 224-pixel content and scale with it.</summary>
public sealed record ClassicalLungSegmenterOptions
{
    /// <summary>How many times the threshold is lowered looking for a lung region of its own. Default 12.</summary>
    public int ThresholdSteps { get; init; } = 12;

    /// <summary>Each step lowers the threshold by this fraction of Otsu's. Default 0.04.</summary>
    public float ThresholdStep { get; init; } = 0.04f;

    /// <summary>The seed grows into pixels below the grow threshold times this. Default 1.0 (Otsu of the CLAHE image).</summary>
    public float GrowThreshold { get; init; } = 1.0f;

    /// <summary>Grow into the CLAHE image's dark pixels (local contrast lifts the lung periphery) instead. Default true.</summary>
    public bool GrowOnClahe { get; init; } = true;

    /// <summary>How many pixels the seed may grow. Default 12.</summary>
    public int GrowSteps { get; init; } = 12;

    /// <summary>Closing radius that smooths the outline. Default 6.</summary>
    public int CloseRadius { get; init; } = 6;
}
