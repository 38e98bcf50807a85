namespace CxrPacsAgent.Imaging.Rendering;

/// <summary>The boundary of a probability map at 0.5: inside pixels with an outside 4-neighbour.</summary>
public static class LungOutline
{
    public static IEnumerable<int> Pixels(GrayImage map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var (w, h) = (map.Width, map.Height);
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                if (map[x, y] < 0.5f)
                {
                    continue;
                }
                if (x == 0 || y == 0 || x == w - 1 || y == h - 1
                    || map[x - 1, y] < 0.5f || map[x + 1, y] < 0.5f || map[x, y - 1] < 0.5f || map[x, y + 1] < 0.5f)
                {
                    yield return (y * w) + x;
                }
            }
        }
    }
}
