namespace CxrPacsAgent.Imaging.Segmentation;

/// <summary>One 4-connected foreground region: its pixels' indices, area, centroid and bounding box.</summary>
internal sealed record Component(int[] Pixels, double CentroidX, double CentroidY, PixelRect Bounds)
{
    public int Area => Pixels.Length;
}

/// <summary>4-connected component labelling by breadth-first flood fill, in raster order (so results are deterministic).</summary>
internal static class ConnectedComponents
{
    public static List<Component> Find(BinaryMask mask)
    {
        var seen = new bool[mask.Bits.Length];
        var components = new List<Component>();
        var queue = new Queue<int>();
        var pixels = new List<int>();
        for (var start = 0; start < mask.Bits.Length; start++)
        {
            if (!mask.Bits[start] || seen[start])
            {
                continue;
            }
            pixels.Clear();
            seen[start] = true;
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                var i = queue.Dequeue();
                pixels.Add(i);
                var (x, y) = (i % mask.Width, i / mask.Width);
                Visit(x > 0, i - 1);
                Visit(x < mask.Width - 1, i + 1);
                Visit(y > 0, i - mask.Width);
                Visit(y < mask.Height - 1, i + mask.Width);
            }
            components.Add(Describe([.. pixels], mask.Width));
        }
        return components;

        void Visit(bool inside, int i)
        {
            if (inside && mask.Bits[i] && !seen[i])
            {
                seen[i] = true;
                queue.Enqueue(i);
            }
        }
    }

    private static Component Describe(int[] pixels, int width)
    {
        double sx = 0, sy = 0;
        int minX = int.MaxValue, minY = int.MaxValue, maxX = 0, maxY = 0;
        foreach (var i in pixels)
        {
            var (x, y) = (i % width, i / width);
            sx += x;
            sy += y;
            minX = Math.Min(minX, x);
            maxX = Math.Max(maxX, x);
            minY = Math.Min(minY, y);
            maxY = Math.Max(maxY, y);
        }
        return new Component(pixels, sx / pixels.Length, sy / pixels.Length, new PixelRect(minX, minY, maxX - minX + 1, maxY - minY + 1));
    }
}
