using System.Text.Json;
using System.Text.Json.Nodes;
using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Evaluation.Packaging;

/// <summary>
/// Writes a new model package from an existing one, as the tools that refit part of a package do (<c>calibrate</c>,
/// <c>fit-ood</c>): the source folder's files are copied, new files added, model.json edited as a JSON tree (every field
/// this code does not know — the lung U-Net's training record, a finding code — is kept as it was), brought to the
/// current schema, and given the SHA-256 of every file it names. The result is loaded as the service would load it
/// before the call returns, so a package this writes always runs.
/// </summary>
public static class PackageWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="source">The package to start from (opened with <see cref="PackageOpenMode.Upgrade"/> or stricter).</param>
    /// <param name="target">A folder that does not exist yet, or is empty.</param>
    /// <param name="version">The new package's version (SemVer).</param>
    /// <param name="edit">Changes to model.json.</param>
    /// <param name="newFiles">Files to add to the package: name → writer given the full path.</param>
    public static ModelPackage Write(ModelPackage source, string target, string version, Action<JsonObject> edit,
        IReadOnlyDictionary<string, Action<string>>? newFiles = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(edit);
        var full = Path.GetFullPath(target);
        if (string.Equals(full.TrimEnd(Path.DirectorySeparatorChar), source.Folder.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            throw new IOException($"{target} is the source package: write the new package to another folder");
        }
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw new IOException($"{target} exists and is not empty: choose a new folder for the package");
        }
        Directory.CreateDirectory(full);
        foreach (var file in Directory.EnumerateFiles(source.Folder))
        {
            if (Path.GetFileName(file) != "model.json")
            {
                File.Copy(file, Path.Combine(full, Path.GetFileName(file)));
            }
        }
        foreach (var (name, write) in newFiles ?? new Dictionary<string, Action<string>>())
        {
            write(Path.Combine(full, name));
        }

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(source.Folder, "model.json")))!.AsObject();
        var oldSchema = json["schema_version"]?.GetValue<int>() ?? 1;
        json["schema_version"] = ModelManifest.CurrentSchemaVersion;
        json["version"] = version;
        if (json["preprocessing"] is null)
        {
            // A schema-1 package predates preprocessing versions: its inputs were version 1 by definition.
            json["preprocessing"] = new JsonObject { ["version"] = oldSchema == 1 ? 1 : CxrPreprocessor.Version };
        }
        json["derived_from"] = $"{source.Manifest.Name} {source.Manifest.Version}";
        edit(json);
        Hash(json, full);
        var temporary = Path.Combine(full, "model.json.tmp");
        File.WriteAllText(temporary, json.ToJsonString(Indented) + "\n");
        File.Move(temporary, Path.Combine(full, "model.json"));
        return ModelPackage.Load(full);
    }

    /// <summary>Lists the SHA-256 of every file model.json names: each graph, the lung U-Net, the OOD statistics.</summary>
    private static void Hash(JsonObject json, string folder)
    {
        foreach (var graph in json["graphs"]?.AsArray() ?? [])
        {
            SetHash(graph!.AsObject(), folder);
        }
        foreach (var key in new[] { "lung_segmenter", "ood" })
        {
            if (json[key] is JsonObject entry)
            {
                SetHash(entry, folder);
            }
        }
    }

    private static void SetHash(JsonObject entry, string folder)
    {
        var file = entry["file"]?.GetValue<string>() ?? throw new InvalidDataException("a model.json entry names no 'file'");
        var path = ModelPackage.Locate(folder, file) ?? throw new FileNotFoundException($"{file} is neither in the package nor in {ModelPackage.SharedGraphFolder}");
        entry["sha256"] = PackageIntegrity.Sha256(path);
    }

    /// <summary>The next patch version of a SemVer version (1.1.0 → 1.1.1); pre-release and build parts are dropped.</summary>
    public static string NextPatch(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var core = version.Split('-', '+')[0].Split('.');
        if (core.Length != 3 || !core.All(c => int.TryParse(c, System.Globalization.CultureInfo.InvariantCulture, out _)))
        {
            throw new ArgumentException($"'{version}' is not a semantic version", nameof(version));
        }
        return $"{core[0]}.{core[1]}.{int.Parse(core[2], System.Globalization.CultureInfo.InvariantCulture) + 1}";
    }
}
