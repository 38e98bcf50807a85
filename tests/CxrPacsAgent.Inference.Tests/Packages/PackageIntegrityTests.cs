using System.Text.Json.Nodes;
using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Inference.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Inference.Tests.Packages;

/// <summary>
/// A package runs only as it was made: every file's SHA-256, the schema, a semantic version and the preprocessing
/// version are checked at load, and each refusal names the package, the file and the model.json field.
/// </summary>
public sealed class PackageIntegrityTests
{
    private static ModelPackageException Refused(string folder, PackageOpenMode mode = PackageOpenMode.Run) =>
        Assert.Throws<ModelPackageException>(() => ModelPackage.Load(folder, mode));

    private static void Edit(string folder, Action<JsonObject> edit)
    {
        var path = Path.Combine(folder, "model.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    [Fact]
    public void A_graph_changed_after_packaging_is_refused_naming_file_and_field()
    {
        var folder = TestPackages.Create();
        using (var stream = File.OpenWrite(Path.Combine(folder, "model.onnx")))
        {
            stream.Seek(-1, SeekOrigin.End);
            stream.WriteByte(0x5A);
        }
        var e = Refused(folder);
        Assert.Equal(ModelPackageError.IntegrityMismatch, e.Error);
        Assert.Equal("model.onnx", e.File);
        Assert.Equal("graphs[0].sha256", e.Field);
        Assert.Contains(folder, e.Message, StringComparison.Ordinal);
        Assert.Contains("model.onnx", e.Message, StringComparison.Ordinal);
        Assert.Contains("graphs[0].sha256", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_graph_without_a_hash_is_refused_for_running_and_read_for_upgrading()
    {
        var folder = TestPackages.Create(hash: false);
        var e = Refused(folder);
        Assert.Equal(ModelPackageError.IntegrityMismatch, e.Error);
        Assert.Equal("graphs[0].sha256", e.Field);
        Assert.NotNull(ModelPackage.Load(folder, PackageOpenMode.Upgrade));
    }

    [Fact]
    public void A_changed_lung_segmenter_is_refused()
    {
        var folder = TestPackages.Create(TestPackages.Manifest("model.onnx") with { LungSegmenter = new GraphSpec { File = "unet.onnx" } }, f =>
        {
            TestPackages.Full().Save(Path.Combine(f, "model.onnx"));
            File.WriteAllText(Path.Combine(f, "unet.onnx"), "a U-Net");
        });
        File.AppendAllText(Path.Combine(folder, "unet.onnx"), " (replaced)");
        var e = Refused(folder);
        Assert.Equal(ModelPackageError.IntegrityMismatch, e.Error);
        Assert.Equal("lung_segmenter.sha256", e.Field);
    }

    [Theory]
    [InlineData(1, PackageOpenMode.Run, true)]
    [InlineData(1, PackageOpenMode.Upgrade, false)]
    [InlineData(3, PackageOpenMode.Run, true)]
    [InlineData(3, PackageOpenMode.Upgrade, true)]
    public void Schema_version_is_enforced(int schema, PackageOpenMode mode, bool refused)
    {
        var folder = TestPackages.Create();
        Edit(folder, j => j["schema_version"] = schema);
        if (refused)
        {
            var e = Refused(folder, mode);
            Assert.Equal(ModelPackageError.SchemaVersionUnsupported, e.Error);
            Assert.Equal("schema_version", e.Field);
        }
        else
        {
            Assert.Equal(1, ModelPackage.Load(folder, mode).Manifest.SchemaVersion);
        }
    }

    [Fact]
    public void A_manifest_without_a_schema_version_is_invalid()
    {
        var folder = TestPackages.Create();
        Edit(folder, j => j.Remove("schema_version"));
        Assert.Equal(ModelPackageError.ManifestInvalid, Refused(folder).Error);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("v1.2.0")]
    [InlineData("1.02.0")]
    [InlineData("latest")]
    public void Version_must_be_semver(string version)
    {
        var e = Refused(TestPackages.Create(TestPackages.Manifest("model.onnx") with { Version = version }));
        Assert.Equal(ModelPackageError.VersionInvalid, e.Error);
        Assert.Equal("version", e.Field);
        Assert.Contains(version, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("2.0.0-rc.1")]
    [InlineData("1.0.0+site.a")]
    public void Semver_versions_load(string version) =>
        Assert.Equal(version, ModelPackage.Load(TestPackages.Create(TestPackages.Manifest("model.onnx") with { Version = version })).Manifest.Version);

    [Fact]
    public void A_package_trained_on_other_preprocessing_is_refused()
    {
        var m = TestPackages.Manifest("model.onnx") with { Preprocessing = new PreprocessingSpec { Version = CxrPreprocessor.Version + 1 } };
        var e = Refused(TestPackages.Create(m));
        Assert.Equal(ModelPackageError.PreprocessingMismatch, e.Error);
        Assert.Equal("preprocessing.version", e.Field);
        Assert.Contains($"version {CxrPreprocessor.Version + 1}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_that_does_not_say_its_preprocessing_is_refused()
    {
        var e = Refused(TestPackages.Create(TestPackages.Manifest("model.onnx") with { Preprocessing = null }));
        Assert.Equal(ModelPackageError.FieldMissing, e.Error);
        Assert.Equal("preprocessing.version", e.Field);
    }

    [Theory]
    [InlineData("platt", 0.0)]
    [InlineData("platt", -1.0)]
    [InlineData("isotonic", 1.0)]
    public void Calibration_must_be_an_increasing_platt_scaling(string method, double slope)
    {
        var m = TestPackages.Manifest("model.onnx") with { Calibration = new CalibrationSpec { Method = method, Slope = slope } };
        Assert.Equal(ModelPackageError.CalibrationInvalid, Refused(TestPackages.Create(m)).Error);
    }

    [Fact]
    public void A_calibration_fitted_on_other_graphs_is_refused_until_refitted()
    {
        var folder = TestPackages.Create(TestPackages.Manifest("model.onnx") with { Calibration = new CalibrationSpec { Method = "platt", Slope = 1 } });
        var hash = ModelPackage.Load(folder).Manifest.Graphs[0].Sha256!;
        Edit(folder, j => j["calibration"]!["fitted_on"] = new JsonObject { ["graphs"] = new JsonArray(hash) });
        Assert.NotNull(ModelPackage.Load(folder));
        Edit(folder, j => j["calibration"]!["fitted_on"] = new JsonObject { ["graphs"] = new JsonArray(new string('0', 64)) });
        var e = Refused(folder);
        Assert.Equal(ModelPackageError.CalibrationInvalid, e.Error);
        Assert.Equal("calibration.fitted_on.graphs", e.Field);
        Assert.NotNull(ModelPackage.Load(folder, PackageOpenMode.Upgrade));   // calibrate can still open it to refit
    }

    [Fact]
    public void Ood_statistics_of_the_wrong_size_are_refused()
    {
        // The tiny model's embedding is 4-d; statistics for 3-d features cannot measure it.
        var m = TestPackages.Manifest("model.onnx") with
        {
            Ood = new OodSpec { Method = "mahalanobis", Features = OodFeatures.Embedding, File = "ood.npy", Threshold = 2 },
        };
        var folder = TestPackages.Create(m, f =>
        {
            TestPackages.Full().Save(Path.Combine(f, "model.onnx"));
            TestPackages.WriteNpy(Path.Combine(f, "ood.npy"), new float[4 * 3], 4, 3);
        });
        var e = Assert.Throws<ModelPackageException>(() =>
        {
            using var model = CxrModel.Load(folder, new InferenceOptions(), NullLogger.Instance);
        });
        Assert.Equal(ModelPackageError.OodInvalid, e.Error);
        Assert.Equal("ood.npy", e.File);
        Assert.Contains("4-d", e.Message, StringComparison.Ordinal);
    }
}
