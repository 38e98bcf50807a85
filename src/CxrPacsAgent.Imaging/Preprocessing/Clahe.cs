namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>
/// Contrast Limited Adaptive Histogram Equalisation (Zuiderveld, Graphics Gems IV, 1994), with OpenCV's conventions so the
/// result matches the study's cv2.createCLAHE: a clipped, redistributed histogram per tile gives a mapping per tile, and each
/// pixel blends the mappings of the four nearest tile centres bilinearly (so tile seams do not show).
/// </summary>
public static class Clahe
{
    public static GrayImage Apply(GrayImage image, ClaheOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Bins < 2 || options.TilesX < 1 || options.TilesY < 1)
        {
            throw new ArgumentException("CLAHE needs at least 2 bins and 1×1 tiles.", nameof(options));
        }
        var bins = options.Bins;
        var tilesX = Math.Min(options.TilesX, image.Width);
        var tilesY = Math.Min(options.TilesY, image.Height);
        var xEdges = Edges(image.Width, tilesX);
        var yEdges = Edges(image.Height, tilesY);

        var binned = new int[image.Pixels.Length];
        for (var i = 0; i < binned.Length; i++)
        {
            binned[i] = Math.Clamp((int)(image.Pixels[i] * bins), 0, bins - 1);
        }

        var maps = new float[tilesY * tilesX][];
        for (var ty = 0; ty < tilesY; ty++)
        {
            for (var tx = 0; tx < tilesX; tx++)
            {
                maps[(ty * tilesX) + tx] = TileMap(binned, image.Width,
                    new PixelRect(xEdges[tx], yEdges[ty], xEdges[tx + 1] - xEdges[tx], yEdges[ty + 1] - yEdges[ty]), bins, options.ClipLimit);
            }
        }

        var xs = Interpolation(image.Width, xEdges);
        var ys = Interpolation(image.Height, yEdges);
        var result = new GrayImage(image.Width, image.Height);
        for (var y = 0; y < image.Height; y++)
        {
            var (t0, t1, wy) = ys[y];
            for (var x = 0; x < image.Width; x++)
            {
                var (s0, s1, wx) = xs[x];
                var b = binned[(y * image.Width) + x];
                var top = ((1 - wx) * maps[(t0 * tilesX) + s0][b]) + (wx * maps[(t0 * tilesX) + s1][b]);
                var bottom = ((1 - wx) * maps[(t1 * tilesX) + s0][b]) + (wx * maps[(t1 * tilesX) + s1][b]);
                result.Pixels[(y * image.Width) + x] = ((1 - wy) * top) + (wy * bottom);
            }
        }
        return result;
    }

    /// <summary>The clipped, equalising map of one tile: bin → [0,1].</summary>
    internal static float[] TileMap(int[] binned, int stride, PixelRect tile, int bins, double clipLimit)
    {
        var histogram = new int[bins];
        for (var y = tile.Y; y < tile.Bottom; y++)
        {
            for (var x = tile.X; x < tile.Right; x++)
            {
                histogram[binned[(y * stride) + x]]++;
            }
        }
        var area = tile.Width * tile.Height;
        if (clipLimit > 0)
        {
            Clip(histogram, Math.Max(1, (int)(clipLimit * area / bins)));
        }
        var map = new float[bins];
        long sum = 0;
        for (var i = 0; i < bins; i++)
        {
            sum += histogram[i];
            map[i] = (float)sum / area;
        }
        return map;
    }

    /// <summary>Clips every bin at <paramref name="limit"/> and spreads the excess evenly, the remainder at a regular step (as OpenCV).</summary>
    internal static void Clip(int[] histogram, int limit)
    {
        var excess = 0;
        for (var i = 0; i < histogram.Length; i++)
        {
            if (histogram[i] > limit)
            {
                excess += histogram[i] - limit;
                histogram[i] = limit;
            }
        }
        var batch = excess / histogram.Length;
        var residual = excess - (batch * histogram.Length);
        for (var i = 0; i < histogram.Length; i++)
        {
            histogram[i] += batch;
        }
        if (residual > 0)
        {
            var step = Math.Max(histogram.Length / residual, 1);
            for (var i = 0; i < histogram.Length && residual > 0; i += step, residual--)
            {
                histogram[i]++;
            }
        }
    }

    /// <summary>Tile boundaries: tiles partition the axis, sizes differing by at most one pixel.</summary>
    private static int[] Edges(int length, int tiles)
    {
        var edges = new int[tiles + 1];
        for (var t = 0; t <= tiles; t++)
        {
            edges[t] = (int)((long)t * length / tiles);
        }
        return edges;
    }

    /// <summary>For each pixel along an axis: the two tiles whose centres surround it and the weight of the second.</summary>
    private static (int T0, int T1, float W)[] Interpolation(int length, int[] edges)
    {
        var tiles = edges.Length - 1;
        var centres = new float[tiles];
        for (var t = 0; t < tiles; t++)
        {
            // OpenCV's convention (txf = x/tileWidth − ½): the centre is the tile's midpoint in continuous coordinates.
            centres[t] = (edges[t] + edges[t + 1]) / 2f;
        }
        var result = new (int, int, float)[length];
        var t0 = 0;
        for (var p = 0; p < length; p++)
        {
            while (t0 < tiles - 1 && p >= centres[t0 + 1])
            {
                t0++;
            }
            if (p <= centres[0])
            {
                result[p] = (0, 0, 0f);
            }
            else if (t0 == tiles - 1)
            {
                result[p] = (t0, t0, 0f);
            }
            else
            {
                result[p] = (t0, t0 + 1, (p - centres[t0]) / (centres[t0 + 1] - centres[t0]));
            }
        }
        return result;
    }
}
