namespace CxrPacsAgent.Imaging.Rendering;

/// <summary>
/// What the picture outlines of a lung map: its two largest regions (the lungs), so specks a segmenter finds in text
/// labels or soft tissue are not drawn as if they were lung. Display only; the map the model used is unchanged.
/// </summary>
public static class LungRegions
{
    /// <summary>A copy of <paramref name="map"/> keeping the <paramref name="keep"/> largest 4-connected regions at p ≥ 0.5.</summary>
    public static GrayImage Largest(GrayImage map, int keep = 2)
    {
        ArgumentNullException.ThrowIfNull(map);
        var (w, h) = (map.Width, map.Height);
        var label = new int[w * h];
        var sizes = new List<int> { 0 };
        var stack = new Stack<int>();
        for (var start = 0; start < label.Length; start++)
        {
            if (label[start] != 0 || map.Pixels[start] < 0.5f)
            {
                continue;
            }
            var region = sizes.Count;
            var size = 0;
            label[start] = region;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                size++;
                var (x, y) = (i % w, i / w);
                Visit(x > 0, i - 1);
                Visit(x < w - 1, i + 1);
                Visit(y > 0, i - w);
                Visit(y < h - 1, i + w);
            }
            sizes.Add(size);

            void Visit(bool inside, int j)
            {
                if (inside && label[j] == 0 && map.Pixels[j] >= 0.5f)
                {
                    label[j] = region;
                    stack.Push(j);
                }
            }
        }
        var kept = Enumerable.Range(1, sizes.Count - 1).OrderByDescending(r => sizes[r]).Take(keep).ToHashSet();
        var result = new GrayImage(w, h);
        for (var i = 0; i < label.Length; i++)
        {
            result.Pixels[i] = kept.Contains(label[i]) ? map.Pixels[i] : Math.Min(map.Pixels[i], 0.49f);
        }
        return result;
    }
}
