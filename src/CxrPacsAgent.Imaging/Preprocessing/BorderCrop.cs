namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>
/// Finds the rectangle left after removing edge bands that are near-black or hold only burned-in text and markers
/// (the study cropped these so the model cannot learn from the hospital's annotations).
/// </summary>
public static class BorderCrop
{
    public static PixelRect Find(GrayImage image, BorderCropOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        var p = Percentiles.Of(image.Pixels, 0.005, 0.995);
        var dark = (float)(p[0] + (options.DarkLevel * (p[1] - p[0])));

        // Fraction of non-dark pixels on every row and every column.
        var rowContent = new double[image.Height];
        var columnContent = new double[image.Width];
        for (var y = 0; y < image.Height; y++)
        {
            var row = image.Row(y);
            var count = 0;
            for (var x = 0; x < row.Length; x++)
            {
                if (row[x] > dark)
                {
                    count++;
                    columnContent[x]++;
                }
            }
            rowContent[y] = (double)count / image.Width;
        }
        for (var x = 0; x < image.Width; x++)
        {
            columnContent[x] /= image.Height;
        }

        var (top, bottom) = Trim(rowContent, options);
        var (left, right) = Trim(columnContent, options);
        return new PixelRect(left, top, right - left, bottom - top);
    }

    /// <summary>[start, end) of the lines that are not edge bands, each side limited to MaxSideFraction.</summary>
    private static (int Start, int End) Trim(double[] content, BorderCropOptions options)
    {
        var n = content.Length;
        var limit = (int)(n * options.MaxSideFraction);
        var start = Edge(content, options, 0, 1, limit);
        var end = n - Edge(content, options, n - 1, -1, limit);
        return end - start >= 1 ? (start, end) : (0, n);
    }

    /// <summary>How many lines from <paramref name="from"/> (stepping <paramref name="step"/>) belong to the border band.</summary>
    private static int Edge(double[] content, BorderCropOptions options, int from, int step, int limit)
    {
        var confirm = Math.Max(1, options.ConfirmLines);
        for (var i = 0; i <= limit; i++)
        {
            var run = 0;
            while (run < confirm && i + run < content.Length && content[from + (step * (i + run))] >= options.MaxContentFraction)
            {
                run++;
            }
            if (run == confirm || i + run == content.Length)
            {
                return i;
            }
        }
        return limit;
    }
}
