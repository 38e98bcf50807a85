using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Inference.Tests.Runtime;

/// <summary>
/// The k-NN OOD test with a contrast population (how the adult package flags children): an image is flagged when it is
/// far from every training image, or nearer the contrast images than the training ones, though near both.
/// </summary>
public sealed class ContrastOodTests
{
    /// <summary>Training features around the x axis, contrast features around the y axis (unit rows, k = 1).</summary>
    private static readonly float[] Training = Unit([1, 0, 0], [1, 0.2f, 0]);

    private static readonly float[] Contrast = Unit([0, 1, 0], [0.2f, 1, 0]);

    [Fact]
    public void An_image_nearer_the_contrast_population_is_flagged_though_near_the_training_images()
    {
        // The distance alone (0.45 from the nearest training image, threshold 0.5) would pass the image between the two.
        var detector = OodDetector.NearestNeighbourWithContrast(Training, Contrast, 3, 1, threshold: 0.5, ratioThreshold: 1.5, OodFeatures.Backbone);
        var training = detector.Measure([1, 0.05f, 0]);
        var between = detector.Measure([0.4f, 1, 0]);
        var far = detector.Measure([0, 0, 1]);

        Assert.False(training.Flagged, $"a training-like image: relative distance {training.Distance}");
        Assert.True(between.Flagged, $"nearer the contrast images: relative distance {between.Distance}");
        Assert.True(far.Flagged, $"far from both: relative distance {far.Distance}");
        Assert.Equal(1, detector.Threshold);
        var inside = OodDetector.KthNearestDistance(Training, 3, 1, [0, 0, 1]);
        Assert.Equal(Math.Max(inside / 0.5, OodDetector.ContrastRatio(inside, OodDetector.KthNearestDistance(Contrast, 3, 1, [0, 0, 1])) / 1.5), far.Distance, 12);
    }

    [Fact]
    public void An_image_on_top_of_a_contrast_image_gets_a_very_large_but_finite_ratio()
    {
        Assert.Equal(0.3 / OodDetector.ContrastFloor, OodDetector.ContrastRatio(0.3, 0), 6);
        Assert.Equal(0.3 / OodDetector.ContrastFloor, OodDetector.ContrastRatio(0.3, -1e-4), 6);  // float16 rounding below 0
        Assert.Equal(0.5, OodDetector.ContrastRatio(0.3, 0.6), 12);
    }

    [Fact]
    public void The_package_reads_training_then_contrast_rows_from_one_file()
    {
        using var model = CxrModel.Load(Package(new OodContrastSpec { Rows = 2, Threshold = 1.5 }, Training.Length / 3 + 2),
            new InferenceOptions(), NullLogger.Instance);
        Assert.Equal(1, model.OodDetector!.Threshold);
    }

    [Fact]
    public void A_contrast_population_with_the_mahalanobis_method_is_refused_naming_the_field()
    {
        var e = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(Package(new OodContrastSpec { Rows = 2, Threshold = 1.5 }, 4, "mahalanobis")));
        Assert.Equal(ModelPackageError.OodInvalid, e.Error);
        Assert.Contains("ood.contrast.rows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_with_too_few_rows_for_training_and_contrast_is_refused_naming_the_field()
    {
        var e = Assert.Throws<ModelPackageException>(() => CxrModel.Load(Package(new OodContrastSpec { Rows = 4, Threshold = 1.5 }, 4),
            new InferenceOptions(), NullLogger.Instance));
        Assert.Equal(ModelPackageError.OodInvalid, e.Error);
        Assert.Contains("ood.contrast.rows", e.Message, StringComparison.Ordinal);
    }

    private static float[] Unit(params float[][] rows) => [.. rows.SelectMany(r =>
    {
        var norm = MathF.Sqrt(r.Sum(v => v * v));
        return r.Select(v => v / norm);
    })];

    /// <summary>An identity trunk that hands on the [1,3,8,8] map, then the tiny classifier; pooled 3-d OOD features.</summary>
    private static string Package(OodContrastSpec contrast, int rows, string method = "knn")
    {
        var manifest = TestPackages.Manifest("trunk.onnx", "head.onnx") with
        {
            Ood = new OodSpec { Method = method, K = 1, Features = OodFeatures.Pooled, File = "ood.npy", Threshold = 0.5, Contrast = contrast },
        };
        float[] stored = [.. Training, .. Contrast];
        return TestPackages.Create(manifest, f =>
        {
            new OnnxGraphBuilder().Input("image", 1, 3, TestPackages.Size, TestPackages.Size)
                .Node("Identity", ["image"], ["map"]).Output("map", 1, 3, TestPackages.Size, TestPackages.Size)
                .Save(Path.Combine(f, "trunk.onnx"));
            TestPackages.Full().Save(Path.Combine(f, "head.onnx"));
            TestPackages.WriteNpy(Path.Combine(f, "ood.npy"), stored[..(rows * 3)], rows, 3);
        });
    }
}
