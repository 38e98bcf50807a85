using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace CxrPacsAgent.Inference.Tests.Packages;

/// <summary>
/// The pediatric package (models/cxr-pneumonia-resnet18, shipped beside the default adult one) loads (backbone from
/// NuGet, head and lung U-Net from models/) and says what it is.
/// </summary>
public sealed class PediatricPackageTests(ITestOutputHelper output)
{
    private static readonly string Folder = ShippedModels.Folder(ShippedModels.Pediatric);

    [Fact]
    public void Pediatric_package_loads_and_is_labelled_as_the_pediatric_pneumonia_proxy()
    {
        using var model = CxrModel.Load(Folder, new InferenceOptions(), NullLogger.Instance);
        var m = model.Manifest;
        Assert.Equal(ShippedModels.Pediatric, m.Name);
        Assert.Contains("pneumonia", m.Task, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("not a COVID-19 model", m.Task, StringComparison.Ordinal);
        Assert.Equal(["ResNet18.onnx", "head.onnx"], m.Graphs.Select(g => g.File));
        // Format 2: every file hashed, the preprocessing pinned, calibrated, with OOD statistics and a drift reference.
        Assert.Equal(ModelManifest.CurrentSchemaVersion, m.SchemaVersion);
        Assert.All(m.Graphs, g => Assert.Matches("^[0-9a-f]{64}$", g.Sha256));
        Assert.Equal(Imaging.Preprocessing.CxrPreprocessor.Version, m.Preprocessing!.Version);
        Assert.Equal("platt", m.Calibration!.Method);
        Assert.Equal(OodFeatures.Backbone, m.Ood!.Features);
        Assert.Equal(10, m.Reference!.ScoreBins.Count);
        Assert.Equal(512, model.FeatureSize);
        var output = model.Run(new float[model.InputPerSample * 2], 2);
        Assert.Equal(2, output.Scores.Length);
        Assert.All(output.Scores, s => Assert.InRange(s, 0f, 1f));
    }

    /// <summary>
    /// The pediatric package's U-Net through the service's own path (C# preprocessing, ONNX Runtime) on lungseg-demo. It was trained
    /// on these four images, so this is a regression check of the chain, not a generalisation figure: that is the
    /// leave-one-out Dice recorded in model.json (docs/preprocessing.md).
    /// </summary>
    [Fact]
    public void Pediatric_lung_unet_reproduces_the_lungseg_demo_masks()
    {
        using var model = CxrModel.Load(Folder, new InferenceOptions(), NullLogger.Instance);
        Assert.NotNull(model.LungSegmenter);
        var builder = new ModelInputBuilder(model.Manifest, model.LungSegmenter);
        var demo = Path.Combine(Repository.SharedData, "lungseg-demo");
        foreach (var pair in File.ReadLines(Path.Combine(demo, "idx.csv")).Skip(1).Select(l => l.Split(',')))
        {
            var (image, mask) = (Path.Combine(demo, pair[0]), Path.Combine(demo, pair[1]));
            var result = builder.Preprocess(RadiographLoader.Load(image));
            var reference = result.Geometry.Apply(RadiographLoader.Load(mask));
            var dice = LungDice.Of(result.LungMap, reference, reference.Pixels.Max() / 2);
            output.WriteLine($"{Path.GetFileName(image)}: Dice {dice:0.000}");
            Assert.True(dice >= 0.95, $"{Path.GetFileName(image)}: Dice {dice:0.000}");
        }
    }

    /// <summary>
    /// The pediatric package knows children's films: adult films and non-chest images (a dental panoramic, an abdomen,
    /// a lateral thorax, rendered straight from DICOM without the view filter) are flagged out of distribution, while
    /// its own population's held-out films mostly are not.
    /// </summary>
    [Fact]
    public void Pediatric_package_flags_adults_and_non_chest_images_but_not_its_own_population()
    {
        using var model = CxrModel.Load(Folder, new InferenceOptions(), NullLogger.Instance);
        Assert.NotNull(model.OodDetector);
        var builder = new ModelInputBuilder(model.Manifest, model.LungSegmenter);
        bool Flagged(string path) => model.Predict(builder.Build(RadiographLoader.Load(path))).OutOfDistribution;

        // Four of the ten adult samples (PA and AP, CR and DX) keep the test short; the model card has all ten.
        foreach (var adult in new[] { "adult-cxr-01.png", "adult-cxr-04.png", "adult-cxr-06.png", "adult-cxr-10.png" })
        {
            Assert.True(Flagged(Path.Combine(Repository.SharedData, "adult-cxr-samples", adult)), $"adult film {adult} not flagged");
        }
        var samples = Path.Combine(Repository.SharedData, "dicom-samples");
        foreach (var other in new[] { "other_cr/fodicom_CR-ModalitySequenceLUT_dental_JPEGLossless.dcm", "other_cr/sample_OT_nhsx_dicomlibrary.dcm", "chest_radiographs/dx_image_highdicom.dcm" })
        {
            Assert.True(Flagged(Path.Combine(samples, other)), $"{other} not flagged");
        }
        var val = File.ReadLines(Path.Combine(Repository.Kermany, "labels.csv")).Skip(1).Select(l => l.Split(','))
            .Where(r => r[4] == "val").Take(12).Select(r => Path.Combine(Repository.Kermany, r[0])).ToArray();
        var flaggedVal = val.Count(Flagged);
        output.WriteLine($"kermany val: {flaggedVal} of 12 flagged");
        Assert.True(flaggedVal <= 2, $"{flaggedVal} of 12 in-distribution films flagged (the threshold allows 5 % of val)");
    }
}
