using CxrPacsAgent.Imaging.Rendering;
using SkiaSharp;

namespace CxrPacsAgent.Imaging.Tests.Rendering;

/// <summary>The picture outlines the two lungs, not specks; long notes wrap inside the panel.</summary>
public sealed class LungRegionsTests
{
    [Fact]
    public void Keeps_the_two_largest_regions_and_leaves_the_map_otherwise_unchanged()
    {
        var map = new GrayImage(40, 20);
        Fill(map, 2, 2, 10, 15, 0.9f);   // left lung, 150 px
        Fill(map, 25, 2, 10, 14, 0.8f);  // right lung, 140 px
        Fill(map, 16, 16, 3, 3, 1.0f);   // a speck, 9 px
        map[38, 1] = 0.3f;               // below 0.5: not a region at all
        var kept = LungRegions.Largest(map);
        Assert.Equal(0.9f, kept[5, 5]);
        Assert.Equal(0.8f, kept[30, 10]);
        Assert.True(kept[17, 17] < 0.5f, "the speck is no longer inside the outline");
        Assert.Equal(0.3f, kept[38, 1]);
        Assert.Equal(2, Regions(kept));
        Assert.Equal(3, Regions(map));
    }

    [Fact]
    public void Wraps_words_within_the_width_and_shortens_a_word_that_cannot_fit()
    {
        using var font = new SKFont(Fonts.Regular, 16);
        var lines = TextLayout.Wrap("The image lies outside the model's training distribution; no call is made.", font, 200).ToList();
        Assert.True(lines.Count > 1);
        Assert.All(lines, l => Assert.True(font.MeasureText(l) <= 200, l));
        Assert.Equal("The image lies outside the model's training distribution; no call is made.", string.Join(' ', lines));
        Assert.EndsWith("…", Assert.Single(TextLayout.Wrap(new string('W', 80), font, 100)), StringComparison.Ordinal);
    }

    private static void Fill(GrayImage map, int x0, int y0, int w, int h, float v)
    {
        for (var y = y0; y < y0 + h; y++)
        {
            for (var x = x0; x < x0 + w; x++)
            {
                map[x, y] = v;
            }
        }
    }

    /// <summary>4-connected regions at p ≥ 0.5, counted independently of the code under test.</summary>
    private static int Regions(GrayImage map)
    {
        var seen = new bool[map.Pixels.Length];
        var count = 0;
        for (var i = 0; i < seen.Length; i++)
        {
            if (seen[i] || map.Pixels[i] < 0.5f)
            {
                continue;
            }
            count++;
            var stack = new Stack<int>([i]);
            seen[i] = true;
            while (stack.TryPop(out var j))
            {
                foreach (var k in new[] { j - 1, j + 1, j - map.Width, j + map.Width })
                {
                    if (k >= 0 && k < seen.Length && Math.Abs((k % map.Width) - (j % map.Width)) <= 1 && !seen[k] && map.Pixels[k] >= 0.5f)
                    {
                        seen[k] = true;
                        stack.Push(k);
                    }
                }
            }
        }
        return count;
    }
}
