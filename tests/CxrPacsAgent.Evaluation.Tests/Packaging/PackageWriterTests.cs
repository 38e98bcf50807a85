using System.Text.Json;
using System.Text.Json.Nodes;
using CxrPacsAgent.Evaluation.Packaging;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Tests.TestSupport;

namespace CxrPacsAgent.Evaluation.Tests.Packaging;

/// <summary>A written package is in the current schema, hashes every file, keeps the fields it does not know, and loads.</summary>
public sealed class PackageWriterTests
{
    [Fact]
    public void Upgrades_a_schema_1_package_keeping_unknown_fields_and_hashing_every_file()
    {
        var source = TestPackages.Create(hash: false);
        var path = Path.Combine(source, "model.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["schema_version"] = 1;
        json.Remove("preprocessing");
        json["finding"] = new JsonObject { ["code_value"] = "233604007", ["coding_scheme_designator"] = "SCT", ["code_meaning"] = "Pneumonia" };
        File.WriteAllText(path, json.ToJsonString());
        File.WriteAllText(Path.Combine(source, "README.md"), "model card");
        var target = Path.Combine(Repository.TempFolder("writer"), "out");

        var package = PackageWriter.Write(ModelPackage.Load(source, PackageOpenMode.Upgrade), target, "0.0.2",
            j => j["threshold"] = 0.3, new Dictionary<string, Action<string>> { ["extra.txt"] = p => File.WriteAllText(p, "new") });

        Assert.Equal(ModelManifest.CurrentSchemaVersion, package.Manifest.SchemaVersion);
        Assert.Equal("0.0.2", package.Manifest.Version);
        Assert.Equal(1, package.Manifest.Preprocessing!.Version);
        Assert.Equal(0.3, package.Manifest.Threshold);
        Assert.Equal(PackageIntegrity.Sha256(Path.Combine(target, "model.onnx")), package.Manifest.Graphs[0].Sha256);
        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(target, "model.json")))!.AsObject();
        Assert.Equal("233604007", written["finding"]!["code_value"]!.GetValue<string>());
        Assert.Equal("tiny-test 0.0.1", written["derived_from"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(target, "README.md")));
        Assert.Equal("new", File.ReadAllText(Path.Combine(target, "extra.txt")));
    }

    [Fact]
    public void Refuses_a_target_that_holds_files_or_is_the_source()
    {
        var source = ModelPackage.Load(TestPackages.Create());
        var busy = Repository.TempFolder("busy");
        File.WriteAllText(Path.Combine(busy, "x"), "");
        Assert.Throws<IOException>(() => PackageWriter.Write(source, busy, "0.0.2", _ => { }));
        Assert.Throws<IOException>(() => PackageWriter.Write(source, source.Folder, "0.0.2", _ => { }));
    }

    [Fact]
    public void An_edit_that_breaks_the_manifest_fails_before_anyone_runs_it()
    {
        var source = ModelPackage.Load(TestPackages.Create());
        var target = Path.Combine(Repository.TempFolder("bad-edit"), "out");
        var e = Assert.Throws<ModelPackageException>(() => PackageWriter.Write(source, target, "0.0.2", j => j["threshold"] = 2.0));
        Assert.Equal(ModelPackageError.ThresholdOutOfRange, e.Error);
    }

    [Theory]
    [InlineData("1.1.0", "1.1.1")]
    [InlineData("2.0.9-rc.1", "2.0.10")]
    public void Next_patch(string version, string next) => Assert.Equal(next, PackageWriter.NextPatch(version));

    [Fact]
    public void Json_written_is_indented_and_reads_back_as_the_record() =>
        Assert.NotNull(JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(Path.Combine(TestPackages.Create(), "model.json")), ModelManifest.JsonOptions));
}
