using System.Text.Json.Nodes;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Evaluation.Ood;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Evaluation.Tests.Ood;

/// <summary>
/// <c>fit-ood</c> with <c>pooled</c> features and the Mahalanobis distance, as the adult package was fitted: the
/// statistics are those of the channel means of the last graph's input map, the package records them as such, and the
/// runtime measures the held-out images at the distances the fit chose its threshold from.
/// </summary>
public sealed class OodFitterTests
{
    [Fact]
    public void Pooled_fit_measures_channel_means_and_the_written_package_flags_what_the_fit_flagged()
    {
        var folder = Repository.TempFolder("ood-pooled");
        var films = File.ReadLines(Path.Combine(Repository.Kermany, "labels.csv")).Skip(1).Take(10)
            .Select(l => Path.Combine(Repository.Kermany, l.Split(',')[0])).ToArray();
        File.WriteAllLines(Path.Combine(folder, "labels.csv"),
            ["path,label,patient_id,split", .. films.Select((f, i) => $"{f},NORMAL,p{i},{(i < 7 ? "train" : "val")}")]);
        var rows = LabelsCsv.Read(Path.Combine(folder, "labels.csv"));
        using var model = CxrModel.Load(MapThenClassifier(), new InferenceOptions { IntraOpThreads = 1 }, NullLogger.Instance);
        var output = Path.Combine(folder, "fitted");
        var options = new OodFitOptions(output, "mahalanobis", 0, OodFeatures.Pooled, 0.34, "test films", "train", "val", "test");

        var (package, result) = OodFitter.Run(model, [.. rows.Where(r => r.Columns["split"] == "train")],
            [.. rows.Where(r => r.Columns["split"] == "val")], options);

        Assert.Equal((3, 7, 3), (result.Dimension, result.FitImages, result.ThresholdImages));
        Assert.True(result.Flagged <= 1, $"{result.Flagged} of 3 held-out images flagged (at most 34 %)");
        var ood = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "model.json")))!["ood"]!;
        Assert.Equal("pooled", ood["features"]!.GetValue<string>());
        Assert.Equal(3, ood["fitted_on"]!["dimension"]!.GetValue<int>());
        using var fitted = CxrModel.Load(package, new SessionFactory(new InferenceOptions { IntraOpThreads = 1 }, NullLogger.Instance));
        Assert.Equal(OodFeatures.Pooled, fitted.OodDetector!.Features);
        var builder = new Inference.Input.ModelInputBuilder(fitted.Manifest);
        var flagged = films[7..].Count(f => fitted.Predict(builder.Build(Imaging.Sources.RadiographLoader.Load(f))).OutOfDistribution);
        Assert.Equal(result.Flagged, flagged);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Contrast_fit_keeps_the_held_out_allowance_and_the_written_package_flags_what_the_fit_flagged()
    {
        var folder = Repository.TempFolder("ood-contrast");
        var films = File.ReadLines(Path.Combine(Repository.Kermany, "labels.csv")).Skip(1).Take(14)
            .Select(l => Path.Combine(Repository.Kermany, l.Split(',')[0])).ToArray();
        string Split(int i) => i < 6 ? "train" : i < 10 ? "val" : "contrast";
        File.WriteAllLines(Path.Combine(folder, "labels.csv"),
            ["path,label,patient_id,split", .. films.Select((f, i) => $"{f},NORMAL,p{i},{Split(i)}")]);
        var rows = LabelsCsv.Read(Path.Combine(folder, "labels.csv"));
        IReadOnlyList<LabeledImage> Rows(string split) => [.. rows.Where(r => r.Columns["split"] == split)];
        using var model = CxrModel.Load(MapThenClassifier(), new InferenceOptions { IntraOpThreads = 1 }, NullLogger.Instance);
        var output = Path.Combine(folder, "fitted");
        var options = new OodFitOptions(output, "knn", 2, OodFeatures.Pooled, 0.25, "test films", "train", "val", "test", ContrastSplit: "contrast");

        var (package, result) = OodFitter.Run(model, Rows("train"), Rows("val"), options, contrastRows: Rows("contrast"));

        Assert.Equal((6, 4, 4), (result.FitImages, result.ThresholdImages, result.ContrastImages));
        Assert.True(result.Flagged <= 1, $"{result.Flagged} of 4 held-out images flagged (at most 25 %)");
        var ood = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "model.json")))!["ood"]!;
        Assert.Equal(4, ood["contrast"]!["rows"]!.GetValue<int>());
        Assert.Equal(result.ContrastThreshold, ood["contrast"]!["threshold"]!.GetValue<double>());
        Assert.Equal("contrast", ood["contrast"]!["fitted_on"]!["split"]!.GetValue<string>());
        using var fitted = CxrModel.Load(package, new SessionFactory(new InferenceOptions { IntraOpThreads = 1 }, NullLogger.Instance));
        var builder = new Inference.Input.ModelInputBuilder(fitted.Manifest);
        var flagged = films[6..10].Count(f => fitted.Predict(builder.Build(Imaging.Sources.RadiographLoader.Load(f))).OutOfDistribution);
        Assert.Equal(result.Flagged, flagged);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_contrast_population_with_the_mahalanobis_method_is_refused()
    {
        using var model = CxrModel.Load(MapThenClassifier(), new InferenceOptions { IntraOpThreads = 1 }, NullLogger.Instance);
        var options = new OodFitOptions(Path.Combine(Repository.TempFolder("ood-contrast-m"), "out"), "mahalanobis", 0, OodFeatures.Pooled, 0.05,
            "test", "train", "val", "test", ContrastSplit: "contrast");
        var e = Assert.Throws<ArgumentException>(() => OodFitter.Run(model, [], [], options, contrastRows: []));
        Assert.Contains("knn", e.Message, StringComparison.Ordinal);
    }

    /// <summary>An identity trunk that hands on the [1,3,8,8] image as a feature map, then the tiny classifier.</summary>
    private static string MapThenClassifier() => TestPackages.Create(TestPackages.Manifest("trunk.onnx", "head.onnx"), f =>
    {
        new OnnxGraphBuilder().Input("image", 1, 3, TestPackages.Size, TestPackages.Size)
            .Node("Identity", ["image"], ["map"]).Output("map", 1, 3, TestPackages.Size, TestPackages.Size)
            .Save(Path.Combine(f, "trunk.onnx"));
        TestPackages.Full().Save(Path.Combine(f, "head.onnx"));
    });
}
