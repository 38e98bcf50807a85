using CxrPacsAgent.Imaging;

namespace CxrPacsAgent.Inference.Explain;

/// <summary>
/// Where a score comes from: for each cell of a <see cref="Grid"/> × <see cref="Grid"/> grid over the film, how much
/// the score fell, in log-odds, when that cell was covered (<see cref="Drops"/>, row-major; negative when covering raised it).
/// </summary>
public sealed record OcclusionMap(int Grid, float BaseScore, IReadOnlyList<float> Drops)
{
    /// <summary>
    /// The drops as a grid × grid picture in [0,1]: 1 where covering lowered the score most, 0 where it did not lower it.
    /// All zeros when no cell lowered the score by more than <paramref name="minimumDrop"/> (nothing to show).
    /// </summary>
    public GrayImage Saliency(float minimumDrop = 0.05f)
    {
        var map = new GrayImage(Grid, Grid);
        var max = Drops.Max();
        if (max <= minimumDrop)
        {
            return map;
        }
        for (var i = 0; i < Drops.Count; i++)
        {
            map.Pixels[i] = Math.Clamp(Drops[i] / max, 0f, 1f);
        }
        return map;
    }
}
