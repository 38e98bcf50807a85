using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Worker.Tests.Cli;

/// <summary>
/// classify, evaluate, export-tensors and export-lung-masks with the shipped packages, as a user runs them: the tests on
/// Kermany images (a pediatric proxy task) and their known answers name the pediatric package, which is not the default.
/// </summary>
public sealed class ModelCommandsTests
{
    private static readonly string Kermany = Path.Combine(CliRunner.SharedData, "kermany-pneumonia-224");
    private static readonly string Samples = Path.Combine(CliRunner.SharedData, "dicom-samples");
    private static readonly string ShippedPackage = Path.Combine(AppContext.BaseDirectory, "models", "cxr-pneumonia-resnet18");

    [Fact]
    public void Classify_with_the_pediatric_package_scores_a_chest_CR_against_a_known_answer_and_skips_a_lateral_spine_film_with_its_reason()
    {
        var chest = Path.Combine(Samples, "chest_radiographs", "CR-MONO1-10-chest_fodicom-via-dcmfx.dcm");
        var spine = Path.Combine(Samples, "other_cr", "pydicom_dicomdirtests_CR1_6154_16x16.dcm");
        var (code, stdout, stderr) = CliRunner.Run("classify", chest, "--json", "--model", ShippedPackage);
        Assert.True(code == 0, stderr);
        using (var scored = JsonDocument.Parse(stdout.Trim()))
        {
            var root = scored.RootElement;
            // Known answer: ONNX Runtime's raw score for this file with the graphs of package 1.1.0, recorded when the input
            // tensor stopped being copied (it did not move). A change in decoding, preprocessing or the graphs shows here.
            Assert.Equal(0.98948, root.GetProperty("raw_score").GetDouble(), 4);
            var score = root.GetProperty("score").GetDouble();
            Assert.InRange(score, 0, 1);
            Assert.True(root.GetProperty("calibrated").GetBoolean());
            Assert.Equal(score >= root.GetProperty("threshold").GetDouble() ? "PNEUMONIA" : "NORMAL", root.GetProperty("label").GetString());
            Assert.Contains("cxr-pneumonia-resnet18", root.GetProperty("model").GetString(), StringComparison.Ordinal);
            Assert.Contains("not a COVID-19 model", root.GetProperty("task").GetString(), StringComparison.Ordinal);
            // An adult film is outside what the pediatric package learnt: flagged, and no call is made.
            Assert.True(root.GetProperty("out_of_distribution").GetBoolean());
            Assert.Equal(JsonValueKind.Null, root.GetProperty("call").ValueKind);
            Assert.True(root.GetProperty("ood_distance").GetDouble() > root.GetProperty("ood_threshold").GetDouble());
        }
        var (skipCode, skipOut, _) = CliRunner.Run("classify", spine, "--json", "--model", ShippedPackage);
        Assert.Equal(3, skipCode);  // nothing was scored
        using var skipped = JsonDocument.Parse(skipOut.Trim());
        Assert.StartsWith("NotChest", skipped.RootElement.GetProperty("skipped").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, skipped.RootElement.GetProperty("score").ValueKind);
    }

    [Fact]
    public void Evaluate_lists_lateral_and_non_chest_DICOM_in_skipped_csv_and_scores_the_rest_as_the_service_does()
    {
        using var data = LabelledSubset(perLabel: 8);
        var lateral = Path.Combine(data.Path, "chest-lateral.dcm");
        var file = DicomFile.Open(Path.Combine(Samples, "chest_radiographs", "CR-MONO1-10-chest_fodicom-via-dcmfx.dcm"));
        file.Dataset.AddOrUpdate(DicomTags.ViewPosition, DicomVR.CS, "LL");
        file.Save(lateral);
        string[] extra =
        [
            $"{lateral},NORMAL,lat1,by-header,val",                                                                      // lateral by View Position
            $"{Path.Combine(Samples, "chest_radiographs", "dx_image_highdicom.dcm")},NORMAL,lat2,by-image,val",           // lateral thorax, header silent
            $"{Path.Combine(Samples, "other_cr", "pydicom_dicomdirtests_CR1_6154_16x16.dcm")},PNEUMONIA,spine,by-header,val", // CSPINE
            $"{Path.Combine(Samples, "structured_reports", "highdicom_sr_document_TID1500.dcm")},PNEUMONIA,sr,by-header,val", // no pixels
        ];
        File.AppendAllLines(Path.Combine(data.Path, "labels.csv"), extra);
        var output = Path.Combine(data.Path, "out");
        var (code, stdout, stderr) = CliRunner.Run("evaluate", "--data", data.Path, "--out", output, "--bootstrap", "50", "--model", ShippedPackage);
        Assert.True(code == 0, stderr);
        Assert.Contains("skipped: NORMAL 2, PNEUMONIA 2", stdout, StringComparison.Ordinal);

        var skipped = File.ReadAllLines(Path.Combine(output, "skipped.csv"));
        Assert.Equal("path,label,reason,message", skipped[0]);
        Assert.Equal(5, skipped.Length);
        Assert.Contains(skipped, l => l.StartsWith(lateral + ",NORMAL,NotFrontal,", StringComparison.Ordinal));
        Assert.Contains(skipped, l => l.Contains("dx_image_highdicom.dcm,NORMAL,ImageNotFrontalChest,", StringComparison.Ordinal));
        Assert.Contains(skipped, l => l.Contains("CR1_6154_16x16.dcm,PNEUMONIA,NotChest,", StringComparison.Ordinal));
        Assert.Contains(skipped, l => l.Contains("TID1500.dcm,PNEUMONIA,NoPixelData,", StringComparison.Ordinal));

        var scores = File.ReadAllLines(Path.Combine(output, "scores.csv"));
        Assert.Equal("path,label,patient_id,score,probability,call,ood_distance,out_of_distribution", scores[0]);
        Assert.Equal(17, scores.Length);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        var root = metrics.RootElement;
        Assert.Equal(16, root.GetProperty("n").GetInt32());
        Assert.Equal("patient", root.GetProperty("bootstrap").GetProperty("unit").GetString());
        Assert.Equal(2, root.GetProperty("skipped_by_class").GetProperty("PNEUMONIA").GetProperty("skipped").GetInt32());
        // The pediatric model's val ROC AUC is 0.99; eight of each class cannot fall below 0.8 unless scoring is broken.
        Assert.InRange(root.GetProperty("roc_auc").GetDouble(), 0.8, 1);
        Assert.InRange(root.GetProperty("calibration").GetProperty("ece").GetDouble(), 0, 1);
        // The extra column 'source' makes a subgroup table (by-header, by-image, kermany).
        Assert.Contains(root.GetProperty("subgroups").EnumerateArray(), s => s.GetProperty("value").GetString() == "by-image");
        foreach (var png in new[] { "roc.png", "confusion-matrix.png", "reliability.png" })
        {
            Assert.True(new FileInfo(Path.Combine(output, png)).Length > 2000, png);
        }
    }

    [Fact]
    public void Calibrate_refits_the_score_and_threshold_and_the_new_package_scores_with_them()
    {
        using var data = LabelledSubset(perLabel: 10);
        var package = Path.Combine(data.Path, "site-package");
        var (code, stdout, stderr) = CliRunner.Run("calibrate", "--model", ShippedPackage, "--data", data.Path, "--out", package,
            "--target-sensitivity", "0.9", "--version", "1.2.0-site.1");
        Assert.True(code == 0, stderr);
        Assert.Contains("wrote", stdout, StringComparison.Ordinal);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(package, "model.json")))!;
        var calibration = manifest["calibration"]!;
        var (slope, intercept) = (calibration["slope"]!.GetValue<double>(), calibration["intercept"]!.GetValue<double>());
        var fitted = calibration["fitted_on"]!;
        Assert.Equal(Path.GetFileName(data.Path), fitted["data"]!.GetValue<string>());
        Assert.Equal(20, fitted["n"]!.GetValue<int>());
        Assert.Equal(10, fitted["positives"]!.GetValue<int>());
        Assert.Contains("calibrate", fitted["command"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0.9, manifest["operating_point"]!["target_sensitivity"]!.GetValue<double>());
        Assert.True(manifest["operating_point"]!["sensitivity"]!.GetValue<double>() >= 0.9);
        Assert.Equal("1.2.0-site.1", manifest["version"]!.GetValue<string>());
        Assert.Equal(10, manifest["reference"]!["score_bins"]!.AsArray().Count);
        var threshold = manifest["threshold"]!.GetValue<double>();

        var image = Directory.GetFiles(data.Path, "*.jpeg")[0];
        var (classifyCode, line, classifyErr) = CliRunner.Run("classify", image, "--model", package, "--json");
        Assert.True(classifyCode == 0, classifyErr);
        using var result = JsonDocument.Parse(line.Trim());
        var r = result.RootElement;
        var raw = Math.Clamp(r.GetProperty("raw_score").GetDouble(), 1e-7, 1 - 1e-7);
        var expected = 1 / (1 + Math.Exp(-((slope * Math.Log(raw / (1 - raw))) + intercept)));
        Assert.Equal(expected, r.GetProperty("score").GetDouble(), 4);
        Assert.Equal(threshold, r.GetProperty("threshold").GetDouble(), 6);
        Assert.Contains("1.2.0-site.1", r.GetProperty("model").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_ood_writes_statistics_that_classify_measures_and_drift_reads_classify_output()
    {
        using var data = LabelledSubset(perLabel: 8, valEvery: 2);
        var package = Path.Combine(data.Path, "ood-package");
        var (code, stdout, stderr) = CliRunner.Run("fit-ood", "--model", ShippedPackage, "--data", data.Path, "--out", package,
            "--features", "embedding", "--k", "3", "--max-flagged", "0.25");
        Assert.True(code == 0, stderr);
        Assert.Contains("knn on embedding features (128-d) of 8 images of 'train'", stdout, StringComparison.Ordinal);
        var ood = JsonNode.Parse(File.ReadAllText(Path.Combine(package, "model.json")))!["ood"]!;
        Assert.Equal("embedding", ood["features"]!.GetValue<string>());
        Assert.Equal(3, ood["k"]!.GetValue<int>());
        Assert.Equal(8, ood["threshold_fitted_on"]!["n"]!.GetValue<int>());
        Assert.True(ood["threshold_fitted_on"]!["flagged"]!.GetValue<int>() <= 2);
        var (pyCode, shape, pyErr) = CliRunner.Start("/usr/bin/python3", "-c", "import sys, numpy; a = numpy.load(sys.argv[1]); print(a.dtype, a.shape, round(float(numpy.linalg.norm(a[0].astype('f4'))), 2))", Path.Combine(package, "ood.npy"));
        Assert.True(pyCode == 0, pyErr);
        Assert.Equal("float16 (8, 128) 1.0", shape.Trim());   // the training embeddings, unit length

        var (classifyCode, lines, classifyErr) = CliRunner.Run("classify", data.Path, "--model", package, "--json");
        Assert.True(classifyCode == 0, classifyErr);
        var results = Path.Combine(data.Path, "results.jsonl");
        File.WriteAllText(results, lines);
        Assert.All(lines.Trim().Split('\n'), l => Assert.True(JsonDocument.Parse(l).RootElement.GetProperty("ood_distance").GetDouble() > 0));

        var driftOut = Path.Combine(data.Path, "drift");
        var (driftCode, driftText, driftErr) = CliRunner.Run("drift", "--model", ShippedPackage, "--results", results, "--out", driftOut);
        Assert.True(driftCode == 0, driftErr);
        Assert.Contains("16 results", driftText, StringComparison.Ordinal);
        Assert.Contains("too few results to judge", driftText, StringComparison.Ordinal);
        using var drift = JsonDocument.Parse(File.ReadAllText(Path.Combine(driftOut, "drift.json")));
        Assert.Equal(16, drift.RootElement.GetProperty("scored").GetInt32());
        Assert.True(new FileInfo(Path.Combine(driftOut, "drift.png")).Length > 2000);
    }

    [Fact]
    public void A_tampered_package_is_refused_naming_the_file_and_the_field()
    {
        using var copy = new TempFolder();
        foreach (var f in Directory.GetFiles(ShippedPackage))
        {
            File.Copy(f, Path.Combine(copy.Path, Path.GetFileName(f)));
        }
        var head = Path.Combine(copy.Path, "head.onnx");
        var bytes = File.ReadAllBytes(head);
        bytes[^10] ^= 0x01;
        File.WriteAllBytes(head, bytes);
        var (code, stdout, stderr) = CliRunner.Run("classify", Path.Combine(Samples, "chest_radiographs", "CR-MONO1-10-chest_fodicom-via-dcmfx.dcm"), "--model", copy.Path);
        Assert.Equal(4, code);
        Assert.Contains(copy.Path, stderr, StringComparison.Ordinal);
        Assert.Contains("head.onnx", stderr, StringComparison.Ordinal);
        Assert.Contains("graphs[1].sha256", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr + stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_tensors_writes_the_CHW_float32_inputs_that_numpy_reads()
    {
        using var data = LabelledSubset(perLabel: 2);
        var output = Path.Combine(data.Path, "tensors");
        var (code, _, stderr) = CliRunner.Run("export-tensors", "--data", data.Path, "--model", ShippedPackage, "--out", output);
        Assert.True(code == 0, stderr);
        var arrays = Directory.GetFiles(output, "*.npy", SearchOption.AllDirectories);
        Assert.Equal(4, arrays.Length);
        var (pyCode, shape, pyErr) = CliRunner.Start("/usr/bin/python3", "-c",
            "import sys, numpy; a = numpy.load(sys.argv[1]); print(a.dtype, a.shape, float(a[2].max()))", arrays[0]);
        Assert.True(pyCode == 0, pyErr);
        Assert.StartsWith("float32 (3, 224, 224)", shape, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_lung_masks_writes_the_unet_training_arrays_and_refuses_a_csv_without_masks()
    {
        using var data = new TempFolder();
        var csv = Path.Combine(CliRunner.SharedData, "lungseg-demo", "idx.csv");
        var (code, stdout, stderr) = CliRunner.Run("export-lung-masks", "--data", csv, "--model", ShippedPackage, "--out", data.Path);
        Assert.True(code == 0, stderr);
        Assert.Contains("exported 4 image/mask pairs at 224×224", stdout, StringComparison.Ordinal);
        var (pyCode, shapes, pyErr) = CliRunner.Start("/usr/bin/python3", "-c",
            "import sys, numpy; print(numpy.load(sys.argv[1] + '/images.npy').shape, numpy.load(sys.argv[1] + '/masks.npy').shape)", data.Path);
        Assert.True(pyCode == 0, pyErr);
        Assert.Equal("(4, 1, 224, 224) (4, 1, 224, 224)", shapes.Trim());

        var bad = Path.Combine(data.Path, "labels.csv");
        File.WriteAllLines(bad, ["path,label", "a.png,NORMAL"]);
        (code, stdout, stderr) = CliRunner.Run("export-lung-masks", "--data", bad, "--model", ShippedPackage, "--out", Path.Combine(data.Path, "out"));
        Assert.Equal(2, code);
        Assert.Contains("'mask' column", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr + stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_names_the_bad_line_of_a_malformed_labels_file_and_exits_2()
    {
        using var data = new TempFolder();
        File.WriteAllLines(Path.Combine(data.Path, "labels.csv"), ["path,label,patient_id,split", "a.png,NORMAL"]);
        var (code, stdout, stderr) = CliRunner.Run("evaluate", "--data", data.Path, "--out", Path.Combine(data.Path, "out"));
        Assert.Equal(2, code);
        Assert.Contains("labels.csv:2", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr + stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// A temporary folder with labels.csv (path,label,patient_id,source,split) and copies of the first val images of each
    /// class; every <paramref name="valEvery"/>-th row is 'val', the rest 'train' (0: all 'val').
    /// </summary>
    private static TempFolder LabelledSubset(int perLabel, int valEvery = 0)
    {
        var folder = new TempFolder();
        var rows = File.ReadLines(Path.Combine(Kermany, "labels.csv")).Skip(1).Select(l => l.Split(','))
            .Where(r => r[4] == "val").GroupBy(r => r[1]).SelectMany(g => g.Take(perLabel)).ToList();
        var lines = new List<string> { "path,label,patient_id,source,split" };
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var name = Path.GetFileName(row[0]);
            File.Copy(Path.Combine(Kermany, row[0]), Path.Combine(folder.Path, name));
            var split = valEvery > 0 && i % valEvery != 0 ? "train" : "val";
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{name},{row[1]},{row[2]},kermany,{split}"));
        }
        File.WriteAllLines(Path.Combine(folder.Path, "labels.csv"), lines);
        return folder;
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("cxr-model-cli-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
