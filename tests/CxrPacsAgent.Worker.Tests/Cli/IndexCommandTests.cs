using System.Globalization;
using System.Text.Json;

namespace CxrPacsAgent.Worker.Tests.Cli;

/// <summary>The <c>index</c> verbs with the shipped package on Kermany images (pediatric proxy task), as a user runs them.</summary>
public sealed class IndexCommandTests : IDisposable
{
    private static readonly string Kermany = Path.Combine(CliRunner.SharedData, "kermany-pneumonia-224");
    private static readonly string ShippedFolder = Path.Combine(AppContext.BaseDirectory, "models", "cxr-pneumonia-resnet18");

    /// <summary>The shipped package's version, as its model.json gives it (the library is named by name and version).</summary>
    private static readonly string Version = JsonDocument.Parse(File.ReadAllText(Path.Combine(ShippedFolder, "model.json")))
        .RootElement.GetProperty("version").GetString()!;

    private static readonly string Library = $"cxr-pneumonia-resnet18 {Version}";
    private readonly string folder = Directory.CreateTempSubdirectory("cxr-index-cli-").FullName;

    private string Database => Path.Combine(folder, "state", "agent.db");

    [Fact]
    public void Import_then_stats_evaluate_query_and_remove_work_on_one_library()
    {
        var data = LabelledSubset("set", train: 8, val: 3);
        var (code, stdout, stderr) = CliRunner.Run("index", "import", "--data", data, "--split", "train", "--db", Database);
        Assert.True(code == 0, stderr);
        Assert.Contains($"imported 16 images of set (train split) into the {Library} library (0 replaced, 0 skipped); it holds 16 entries", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "state", "patient-id.salt")));

        (code, stdout, stderr) = CliRunner.Run("index", "stats", "--db", Database, "--verify");
        Assert.True(code == 0, stderr);
        Assert.Contains($"{Library}: 16 entries (16 with reference labels), 128-dimensional", stdout, StringComparison.Ordinal);
        Assert.Contains("verified: 16 rows, every one indexed with its vector", stdout, StringComparison.Ordinal);

        var figures = Path.Combine(folder, "knn.json");
        (code, stdout, stderr) = CliRunner.Run("index", "evaluate", "--data", data, "--split", "val", "--db", Database, "--json", figures);
        Assert.True(code == 0, stderr);
        Assert.Contains($"4-NN vote on set (val split) against the {Library} library of 16: n=6", stdout, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(File.ReadAllText(figures)))
        {
            var root = json.RootElement;
            Assert.Equal(6, root.GetProperty("n").GetInt32());
            Assert.True(root.GetProperty("same_patient_excluded").GetBoolean());
            // The head separates Kermany's classes (leave-one-out 4-NN 0.99 on its embeddings): 5 of 6 at the least.
            Assert.InRange(root.GetProperty("vote_accuracy").GetDouble(), 0.8, 1);
            var ci = root.GetProperty("vote_ci95").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.True(ci[0] < root.GetProperty("vote_accuracy").GetDouble() && ci[1] >= root.GetProperty("vote_accuracy").GetDouble() - 1e-9);
        }

        var query = Path.Combine(data, File.ReadLines(Path.Combine(data, "labels.csv")).Last().Split(',')[0]);
        (code, stdout, stderr) = CliRunner.Run("index", "query", query, "--db", Database, "--json", "--k", "3");
        Assert.True(code == 0, stderr);
        string nearest;
        using (var json = JsonDocument.Parse(stdout.Trim()))
        {
            var neighbours = json.RootElement.GetProperty("neighbours").EnumerateArray().ToArray();
            Assert.Equal(3, neighbours.Length);
            Assert.All(neighbours, n => Assert.Equal("reference", n.GetProperty("label_origin").GetString()));
            Assert.All(neighbours, n => Assert.Equal("labels.csv of set", n.GetProperty("label_source").GetString()));
            var similarities = neighbours.Select(n => n.GetProperty("similarity").GetDouble()).ToArray();
            Assert.Equal(similarities.OrderDescending(), similarities);
            Assert.InRange(similarities[0], 0, 1.0001);
            Assert.NotNull(json.RootElement.GetProperty("label").GetString());
            nearest = neighbours[0].GetProperty("sop_instance_uid").GetString()!;
        }

        (code, stdout, stderr) = CliRunner.Run("index", "remove", nearest, "--db", Database);
        Assert.True(code == 0, stderr);
        Assert.Contains($"from the {Library} library", stdout, StringComparison.Ordinal);
        (code, _, stderr) = CliRunner.Run("index", "remove", nearest, "--db", Database);
        Assert.Equal(3, code);
        Assert.Contains($"no library entry has SOP Instance UID {nearest}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Rebuild_under_a_new_model_version_re_embeds_the_library_without_the_original_images()
    {
        var data = LabelledSubset("set", train: 5, val: 1);
        var (code, _, stderr) = CliRunner.Run("index", "import", "--data", data, "--split", "train", "--db", Database);
        Assert.True(code == 0, stderr);
        var keep = Path.Combine(folder, "query.jpeg");
        var lines = File.ReadAllLines(Path.Combine(data, "labels.csv"));
        File.Copy(Path.Combine(data, lines[^1].Split(',')[0]), keep);
        Directory.Delete(data, recursive: true); // the spool deletes originals after delivery

        var upgraded = CopyPackage($"{Version}-retrained");
        string stdout;
        (code, stdout, stderr) = CliRunner.Run("index", "rebuild", "--model", upgraded, "--db", Database);
        Assert.True(code == 0, stderr);
        Assert.Contains($"re-embedded 10 entries of {Library} under {Library}-retrained (0 skipped)", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = CliRunner.Run("index", "query", keep, "--model", upgraded, "--db", Database, "--json");
        Assert.True(code == 0, stderr);
        using (var json = JsonDocument.Parse(stdout.Trim()))
        {
            Assert.Equal($"{Library}-retrained", json.RootElement.GetProperty("model").GetString());
            var neighbours = json.RootElement.GetProperty("neighbours").EnumerateArray().ToArray();
            Assert.Equal(4, neighbours.Length);
            Assert.All(neighbours, n => Assert.Equal("labels.csv of set", n.GetProperty("label_source").GetString())); // labels carried over
        }

        (code, stdout, stderr) = CliRunner.Run("index", "rebuild", "--db", Database);
        Assert.True(code == 0, stderr);
        Assert.Contains($"{Library}: 10 entries, Exact index rebuilt from the rows", stdout, StringComparison.Ordinal);
        Assert.Contains($"{Library}-retrained: 10 entries", stdout, StringComparison.Ordinal);

        (code, _, stderr) = CliRunner.Run("index", "rebuild", "--model", upgraded, "--from", "nothing@0", "--db", Database);
        Assert.Equal(3, code);
        Assert.Contains("no entries of nothing@0 to re-embed", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void DICOM_entries_keep_their_UIDs_a_query_never_finds_its_own_study_and_bad_requests_say_why()
    {
        var samples = Path.Combine(CliRunner.SharedData, "dicom-samples", "chest_radiographs");
        var set = Path.Combine(folder, "dicom-set");
        Directory.CreateDirectory(set);
        var files = new[] { "CR-MONO1-10-chest_fodicom-via-dcmfx.dcm", "NIH-CXR14_Covid0000_nhsx.dcm", "dx_image_highdicom.dcm" };
        foreach (var file in files)
        {
            File.Copy(Path.Combine(samples, file), Path.Combine(set, file));
        }
        File.WriteAllLines(Path.Combine(set, "labels.csv"), ["path,label", $"{files[0]},NORMAL", $"{files[1]},PNEUMONIA", $"{files[2]},NORMAL"]);
        var (code, stdout, stderr) = CliRunner.Run("index", "evaluate", "--data", set, "--db", Database);
        Assert.Equal(3, code); // nothing imported yet
        Assert.Contains("import a reference set first", stderr, StringComparison.Ordinal);

        (code, stdout, stderr) = CliRunner.Run("index", "import", "--data", set, "--db", Database, "--source", "radiologist review");
        Assert.True(code == 0, stderr);
        Assert.Contains("imported 3 images", stdout, StringComparison.Ordinal);
        (code, stdout, stderr) = CliRunner.Run("index", "query", Path.Combine(set, files[0]), "--db", Database, "--json");
        Assert.True(code == 0, stderr);
        var (uidCode, uids, uidErr) = CliRunner.Start("/usr/bin/python3", [
            "-c", "import sys, pydicom; print(' '.join(str(pydicom.dcmread(f, force=True).SOPInstanceUID) for f in sys.argv[1:]))",
            .. files.Select(f => Path.Combine(set, f))]);
        Assert.True(uidCode == 0, uidErr);
        var sops = uids.Trim().Split(' ');
        using (var json = JsonDocument.Parse(stdout.Trim()))
        {
            var found = json.RootElement.GetProperty("neighbours").EnumerateArray().Select(n => n.GetProperty("sop_instance_uid").GetString()).ToArray();
            Assert.Equal(sops[1..].Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal)); // its own study left out
            Assert.All(json.RootElement.GetProperty("neighbours").EnumerateArray(),
                n => Assert.Equal("radiologist review", n.GetProperty("label_source").GetString()));
        }

        var spine = Path.Combine(CliRunner.SharedData, "dicom-samples", "other_cr", "pydicom_dicomdirtests_CR1_6154_16x16.dcm");
        (code, _, stderr) = CliRunner.Run("index", "query", spine, "--db", Database);
        Assert.Equal(3, code);
        Assert.Contains("skipped (NotChest", stderr, StringComparison.Ordinal);
        (code, _, stderr) = CliRunner.Run("index", "import", "--data", folder, "--db", Database);
        Assert.Equal(2, code);
        Assert.Contains("has no labels.csv", stderr, StringComparison.Ordinal);
        (code, _, stderr) = CliRunner.Run("index", "stats", "--db", Path.Combine(folder, "missing.db"));
        Assert.Equal(3, code);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string LabelledSubset(string name, int train, int val) => LabelledSubset(folder, name, train, val);

    /// <summary>A folder with labels.csv and copies of the first Kermany images of each class per split (different patients).</summary>
    internal static string LabelledSubset(string folder, string name, int train, int val)
    {
        var target = Path.Combine(folder, name);
        Directory.CreateDirectory(target);
        var rows = File.ReadLines(Path.Combine(Kermany, "labels.csv")).Skip(1).Select(l => l.Split(','))
            .GroupBy(r => (Split: r[4], Label: r[1]))
            .SelectMany(g => g.DistinctBy(r => r[2]).Take(g.Key.Split == "train" ? train : val))
            .Where(r => r[4] is "train" or "val").OrderBy(r => r[4], StringComparer.Ordinal).ToList();
        var lines = new List<string> { "path,label,patient_id,split" };
        foreach (var row in rows)
        {
            var file = Path.GetFileName(row[0]);
            File.Copy(Path.Combine(Kermany, row[0]), Path.Combine(target, file));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{file},{row[1]},{row[2]},{row[4]}"));
        }
        File.WriteAllLines(Path.Combine(target, "labels.csv"), lines);
        return target;
    }

    /// <summary>The shipped package under another version: what a retrained model looks like to the library.</summary>
    private string CopyPackage(string version)
    {
        var source = ShippedFolder;
        var target = Path.Combine(folder, "package");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        var manifest = Path.Combine(target, "model.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace($"\"version\": \"{Version}\"", $"\"version\": \"{version}\"", StringComparison.Ordinal));
        return target;
    }
}
