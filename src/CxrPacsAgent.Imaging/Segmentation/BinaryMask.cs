namespace CxrPacsAgent.Imaging.Segmentation;

/// <summary>A binary image (row-major) with the morphology the classical segmenter needs.</summary>
internal sealed class BinaryMask(int width, int height)
{
    public int Width { get; } = width;

    public int Height { get; } = height;

    public bool[] Bits { get; } = new bool[width * height];

    public bool this[int x, int y]
    {
        get => Bits[(y * Width) + x];
        set => Bits[(y * Width) + x] = value;
    }

    public int Count() => Bits.Count(b => b);

    /// <summary>Dilation (grow) by a (2r+1)² square, separable so it costs O(n·r).</summary>
    public BinaryMask Dilate(int radius) => Morph(radius, grow: true);

    /// <summary>Erosion (shrink) by a (2r+1)² square; outside the image counts as background.</summary>
    public BinaryMask Erode(int radius) => Morph(radius, grow: false);

    /// <summary>Closing: fills gaps and notches narrower than 2r+1.</summary>
    public BinaryMask Close(int radius) => Dilate(radius).Erode(radius);

    /// <summary>Opening: removes necks and specks narrower than 2r+1.</summary>
    public BinaryMask Open(int radius) => Erode(radius).Dilate(radius);

    /// <summary>Sets every background pixel that is not reachable from the border (a hole) to foreground.</summary>
    public BinaryMask FillHoles()
    {
        var outside = new bool[Bits.Length];
        var queue = new Queue<int>();
        for (var x = 0; x < Width; x++)
        {
            Seed(x, 0);
            Seed(x, Height - 1);
        }
        for (var y = 0; y < Height; y++)
        {
            Seed(0, y);
            Seed(Width - 1, y);
        }
        while (queue.Count > 0)
        {
            var i = queue.Dequeue();
            var (x, y) = (i % Width, i / Width);
            if (x > 0) { Seed(x - 1, y); }
            if (x < Width - 1) { Seed(x + 1, y); }
            if (y > 0) { Seed(x, y - 1); }
            if (y < Height - 1) { Seed(x, y + 1); }
        }
        var result = new BinaryMask(Width, Height);
        for (var i = 0; i < Bits.Length; i++)
        {
            result.Bits[i] = !outside[i];
        }
        return result;

        void Seed(int x, int y)
        {
            var i = (y * Width) + x;
            if (!Bits[i] && !outside[i])
            {
                outside[i] = true;
                queue.Enqueue(i);
            }
        }
    }

    private BinaryMask Morph(int radius, bool grow)
    {
        var result = new BinaryMask(Width, Height);
        if (radius <= 0)
        {
            Bits.CopyTo(result.Bits, 0);
            return result;
        }
        var horizontal = new bool[Bits.Length];
        for (var y = 0; y < Height; y++)
        {
            Window(Bits, horizontal, y * Width, 1, Width, radius, grow);
        }
        for (var x = 0; x < Width; x++)
        {
            Window(horizontal, result.Bits, x, Width, Height, radius, grow);
        }
        return result;
    }

    /// <summary>
    /// One line of a separable dilation/erosion with a running count of set pixels in the ±radius window: grow sets a
    /// pixel when any is set, shrink keeps it only when all are (outside the image counts as unset).
    /// </summary>
    private static void Window(bool[] source, bool[] target, int start, int stride, int length, int radius, bool grow)
    {
        var count = 0;
        for (var k = 0; k < Math.Min(radius, length); k++)
        {
            count += source[start + (k * stride)] ? 1 : 0;
        }
        var full = (2 * radius) + 1;
        for (var i = 0; i < length; i++)
        {
            var enter = i + radius;
            if (enter < length && source[start + (enter * stride)])
            {
                count++;
            }
            var leave = i - radius - 1;
            if (leave >= 0 && source[start + (leave * stride)])
            {
                count--;
            }
            target[start + (i * stride)] = grow ? count > 0 : count == full;
        }
    }
}
