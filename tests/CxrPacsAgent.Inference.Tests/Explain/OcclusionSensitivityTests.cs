using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Explain;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Inference.Tests.Explain;

/// <summary>Occlusion sensitivity finds the region a score depends on, covers only the image channels, and runs the shipped model.</summary>
public sealed class OcclusionSensitivityTests
{
    private const int Size = 32;
    private static readonly PixelRect Film = new(0, 4, 32, 24); // letterboxed, as a landscape film is

    /// <summary>A model that only looks at channel <paramref name="channel"/> inside <paramref name="region"/>: score = sigmoid(4 · mean).</summary>
    private static BatchScorer Looking(PixelRect region, int channel, List<int>? batches = null) => (input, batch) =>
    {
        batches?.Add(batch);
        var scores = new float[batch];
        for (var b = 0; b < batch; b++)
        {
            double sum = 0;
            for (var y = region.Y; y < region.Bottom; y++)
            {
                for (var x = region.X; x < region.Right; x++)
                {
                    sum += input[(b * 3 * Size * Size) + (channel * Size * Size) + (y * Size) + x];
                }
            }
            scores[b] = (float)(1 / (1 + Math.Exp(-4 * sum / (region.Width * region.Height))));
        }
        return scores;
    };

    /// <summary>Image channel bright (1), lung map and zeros channels 0.5 and 0.</summary>
    private static float[] Tensor()
    {
        var t = new float[3 * Size * Size];
        t.AsSpan(0, Size * Size).Fill(1f);
        t.AsSpan(Size * Size, Size * Size).Fill(0.5f);
        for (var y = 0; y < Size; y++)
        {
            // Darker outside the film, so covering with the film's mean lowers a bright region.
            if (!Film.Contains(0, y))
            {
                t.AsSpan(y * Size, Size).Fill(0f);
            }
        }
        for (var y = 4; y < 10; y++)
        {
            t.AsSpan(y * Size, 8).Fill(-1f); // a dark cell pulls the film's mean to 0.875
        }
        return t;
    }

    [Fact]
    public void The_cell_the_model_looks_at_falls_most_and_the_others_not_at_all()
    {
        var region = new PixelRect(24, 22, 8, 6); // bottom-right cell of a 4×4 grid over the film
        var batches = new List<int>();
        var map = OcclusionSensitivity.Compute(Tensor(), Size, Film, [0], 4, Looking(region, 0, batches), batchSize: 5);
        Assert.Equal(15, Array.IndexOf([.. map.Drops], map.Drops.Max()));
        Assert.True(map.Drops[15] > 0.01f, $"drop {map.Drops[15]}");
        Assert.All(map.Drops.Take(15), d => Assert.Equal(0f, d, 5));
        Assert.Equal([1, 5, 5, 5, 1], batches); // the base run, then 16 covered inputs in batches of 5
        var saliency = map.Saliency();
        Assert.Equal((4, 4, 1f), (saliency.Width, saliency.Height, saliency.Pixels[15]));
        Assert.Equal(0f, saliency.Pixels[..15].Max());
    }

    [Fact]
    public void Only_the_image_channels_are_covered()
    {
        var lungMapOnly = Looking(new PixelRect(0, 4, 32, 24), channel: 1);
        var map = OcclusionSensitivity.Compute(Tensor(), Size, Film, [0], 4, lungMapOnly);
        Assert.All(map.Drops, d => Assert.Equal(0f, d));
        Assert.All(map.Saliency().Pixels, p => Assert.Equal(0f, p)); // nothing to show is shown as nothing
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void Cells_tile_the_film_exactly(int grid)
    {
        var covered = new int[Size * Size];
        for (var i = 0; i < grid * grid; i++)
        {
            var cell = OcclusionSensitivity.Cell(Film, grid, i);
            for (var y = cell.Y; y < cell.Bottom; y++)
            {
                for (var x = cell.X; x < cell.Right; x++)
                {
                    covered[(y * Size) + x]++;
                }
            }
        }
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                Assert.Equal(Film.Contains(x, y) ? 1 : 0, covered[(y * Size) + x]);
            }
        }
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        var score = Looking(Film, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => OcclusionSensitivity.Compute(Tensor(), Size, Film, [0], 0, score));
        Assert.Throws<ArgumentOutOfRangeException>(() => OcclusionSensitivity.Compute(Tensor(), Size, Film, [0], 25, score));
        Assert.Throws<ArgumentOutOfRangeException>(() => OcclusionSensitivity.Compute(Tensor(), Size, new PixelRect(0, 0, 33, 4), [0], 2, score));
        Assert.Throws<ArgumentException>(() => OcclusionSensitivity.Compute(new float[10], Size, Film, [0], 2, score));
        Assert.Throws<ArgumentException>(() => OcclusionSensitivity.Compute(Tensor(), Size, Film, [3], 2, score));
    }

    [Fact]
    public void Shipped_model_map_is_normalised_and_its_base_is_the_prediction()
    {
        using var model = CxrModel.Load(DefaultModel.Folder, new InferenceOptions(), NullLogger.Instance);
        using var ensemble = new ModelEnsemble([model]);
        var builder = new ModelInputBuilder(model.Manifest, model.LungSegmenter);
        var preprocessed = builder.Preprocess(RadiographLoader.Load(Path.Combine(Repository.SharedData, "adult-cxr-samples", "adult-cxr-08.png")));
        var tensor = builder.Build(preprocessed).Data;
        var map = ModelOcclusion.Compute(ensemble, preprocessed, tensor, 4);
        Assert.Equal(ensemble.Predict(tensor, 1)[0].MeanScore, map.BaseScore, 5);
        Assert.Equal([0], ModelOcclusion.ImageChannels(model.Manifest));
        var saliency = map.Saliency(minimumDrop: 0);
        Assert.Equal(1f, saliency.Pixels.Max());
        Assert.All(saliency.Pixels, p => Assert.InRange(p, 0f, 1f));
    }
}
