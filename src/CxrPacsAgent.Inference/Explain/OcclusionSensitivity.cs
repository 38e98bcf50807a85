using CxrPacsAgent.Imaging;

namespace CxrPacsAgent.Inference.Explain;

/// <summary>
/// Occlusion sensitivity (Zeiler and Fergus 2014) on a coarse grid: each cell of the film is covered in turn with the
/// film's mean brightness and the model run again; the fall in score says how much the score depends on that cell.
/// Costs grid² model runs (batched), so the grid is kept coarse: see docs/BENCHMARKS.md for what each size costs.
/// Only the image channels are covered: the lung map still says where the lungs are. Falls are measured in log-odds,
/// so a score near 0 or 1 (where probabilities barely move) still shows where it comes from.
/// </summary>
public static class OcclusionSensitivity
{
    /// <summary>Grids above this cost more than a minute on two cores; a request for more is refused.</summary>
    public const int MaxGrid = 32;

    /// <param name="tensor">The model input, CHW (3 × size × size), normalised as the model takes it.</param>
    /// <param name="size">Width and height of the input.</param>
    /// <param name="content">Where the film lies in the input (the rest is padding); the grid covers only this.</param>
    /// <param name="imageChannels">Channels that hold the image (covered); the others are left as they are.</param>
    /// <param name="grid">Cells per side.</param>
    /// <param name="score">Runs the model on a batch.</param>
    /// <param name="batchSize">Inputs per model run.</param>
    public static OcclusionMap Compute(float[] tensor, int size, PixelRect content, IReadOnlyList<int> imageChannels, int grid,
        BatchScorer score, int batchSize = 8)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(imageChannels);
        ArgumentNullException.ThrowIfNull(score);
        var plane = size * size;
        if (tensor.Length != 3 * plane)
        {
            throw new ArgumentException($"a 3×{size}×{size} input has {3 * plane} values, not {tensor.Length}", nameof(tensor));
        }
        if (content.X < 0 || content.Y < 0 || content.Right > size || content.Bottom > size || content.Width <= 0 || content.Height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(content), content, $"not inside the {size}×{size} input");
        }
        if (grid < 1 || grid > MaxGrid || grid > Math.Min(content.Width, content.Height))
        {
            throw new ArgumentOutOfRangeException(nameof(grid), grid, $"grid is 1 to {MaxGrid} cells and at most one pixel a cell");
        }
        if (imageChannels.Count == 0 || imageChannels.Any(c => c is < 0 or > 2))
        {
            throw new ArgumentException("image channels are among 0, 1 and 2, at least one", nameof(imageChannels));
        }
        batchSize = Math.Clamp(batchSize, 1, grid * grid);
        var baseScore = score(tensor, 1)[0];
        var baseLogit = Logit(baseScore);
        var fill = imageChannels.ToDictionary(c => c, c => Mean(tensor.AsSpan(c * plane, plane), size, content));
        var drops = new float[grid * grid];
        var batch = new float[batchSize * tensor.Length];
        for (var first = 0; first < drops.Length; first += batchSize)
        {
            var count = Math.Min(batchSize, drops.Length - first);
            for (var b = 0; b < count; b++)
            {
                var sample = batch.AsSpan(b * tensor.Length, tensor.Length);
                tensor.CopyTo(sample);
                var cell = Cell(content, grid, first + b);
                foreach (var (channel, value) in fill)
                {
                    for (var y = cell.Y; y < cell.Bottom; y++)
                    {
                        sample.Slice((channel * plane) + (y * size) + cell.X, cell.Width).Fill(value);
                    }
                }
            }
            var scores = score(count == batchSize ? batch : batch[..(count * tensor.Length)], count);
            for (var b = 0; b < count; b++)
            {
                drops[first + b] = baseLogit - Logit(scores[b]);
            }
        }
        return new OcclusionMap(grid, baseScore, drops);
    }

    /// <summary>Cell <paramref name="index"/> (row-major) of a grid over <paramref name="content"/>; cells tile it exactly.</summary>
    public static PixelRect Cell(PixelRect content, int grid, int index)
    {
        var (row, column) = (index / grid, index % grid);
        int Edge(int start, int length, int i) => start + (int)((long)length * i / grid);
        var (x0, x1) = (Edge(content.X, content.Width, column), Edge(content.X, content.Width, column + 1));
        var (y0, y1) = (Edge(content.Y, content.Height, row), Edge(content.Y, content.Height, row + 1));
        return new PixelRect(x0, y0, x1 - x0, y1 - y0);
    }

    /// <summary>log(p / (1 − p)), with p kept off 0 and 1 so a saturated score stays finite.</summary>
    public static float Logit(float p)
    {
        var q = Math.Clamp((double)p, 1e-6, 1 - 1e-6);
        return (float)Math.Log(q / (1 - q));
    }

    private static float Mean(ReadOnlySpan<float> channel, int size, PixelRect content)
    {
        double sum = 0;
        for (var y = content.Y; y < content.Bottom; y++)
        {
            foreach (var v in channel.Slice((y * size) + content.X, content.Width))
            {
                sum += v;
            }
        }
        return (float)(sum / ((double)content.Width * content.Height));
    }
}
