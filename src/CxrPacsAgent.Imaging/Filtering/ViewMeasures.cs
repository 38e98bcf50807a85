using System.Globalization;

namespace CxrPacsAgent.Imaging.Filtering;

/// <summary>What <see cref="ImageViewHeuristic"/> measured: crop aspect, midline contrast, and where the midline sits (0–1 across).</summary>
public sealed record ViewMeasures(double Aspect, double MidlineContrast, double MidlinePosition)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"aspect {Aspect:0.00}, midline contrast {MidlineContrast:0.000} at {MidlinePosition:0.00} of the width");
}
