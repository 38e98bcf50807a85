using System.Text.Json;

namespace CxrPacsAgent.Inference.Packages;

/// <summary>A model package folder whose manifest has been read and checked, with the graph files found on disk.</summary>
/// <remarks>Graph checks that need ONNX Runtime (shapes, output names) are done by <see cref="Runtime.CxrModel"/>.</remarks>
public sealed class ModelPackage
{
    /// <summary>Where graphs that are not shipped in the package (the NuGet ImageNet backbone) are copied at build time.</summary>
    public static string SharedGraphFolder { get; } = Path.Combine(AppContext.BaseDirectory, "backbones");

    private ModelPackage(string folder, ModelManifest manifest, IReadOnlyList<string> graphPaths, string? segmenterPath, string? oodPath)
    {
        Folder = folder;
        Manifest = manifest;
        GraphPaths = graphPaths;
        SegmenterPath = segmenterPath;
        OodStatisticsPath = oodPath;
    }

    /// <summary>Full path of the out-of-distribution statistics (model.json's <c>ood.file</c>), when the package has them.</summary>
    public string? OodStatisticsPath { get; }

    /// <summary>Full path of the package's lung U-Net, when it has one.</summary>
    public string? SegmenterPath { get; }

    public string Folder { get; }

    public ModelManifest Manifest { get; }

    /// <summary>Full paths of <see cref="ModelManifest.Graphs"/>, in order.</summary>
    public IReadOnlyList<string> GraphPaths { get; }

    public string DisplayName => $"{Manifest.Name} {Manifest.Version}";

    /// <summary>Reads and checks model.json and every file it names, each against its SHA-256 (a package to run).</summary>
    public static ModelPackage Load(string folder) => Load(folder, PackageOpenMode.Run);

    /// <inheritdoc cref="Load(string)"/>
    /// <param name="folder">The package folder.</param>
    /// <param name="mode">How strictly: <see cref="PackageOpenMode.Upgrade"/> for tools that write a new package from this one.</param>
    public static ModelPackage Load(string folder, PackageOpenMode mode)
    {
        var manifest = ReadManifest(folder, mode);
        var full = Path.GetFullPath(folder);
        var paths = manifest.Graphs.Select((g, i) => Resolve(full, g.File, g.Source, g.Sha256, folder, $"graphs[{i}]", mode)).ToArray();
        var segmenter = manifest.LungSegmenter is { } s ? Resolve(full, s.File, s.Source, s.Sha256, folder, "lung_segmenter", mode) : null;
        var ood = manifest.Ood is { } o ? Resolve(full, o.File, null, o.Sha256, folder, "ood", mode) : null;
        return new ModelPackage(full, manifest, paths, segmenter, ood);
    }

    /// <summary>Reads and checks model.json only: enough to know the input a package wants (tensor export for training).</summary>
    public static ModelManifest ReadManifest(string folder) => ReadManifest(folder, PackageOpenMode.Run);

    /// <inheritdoc cref="ReadManifest(string)"/>
    /// <param name="folder">The package folder.</param>
    /// <param name="mode">How strictly (see <see cref="PackageOpenMode"/>).</param>
    public static ModelManifest ReadManifest(string folder, PackageOpenMode mode)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            throw new ModelPackageException(ModelPackageError.FolderMissing, folder, "folder does not exist");
        }
        var manifestPath = Path.Combine(full, "model.json");
        if (!File.Exists(manifestPath))
        {
            throw new ModelPackageException(ModelPackageError.ManifestMissing, folder, "model.json is missing");
        }
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(manifestPath), ModelManifest.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ModelPackageException(ModelPackageError.ManifestInvalid, folder, $"model.json is not valid: {e.Message}", e);
        }
        if (manifest is null)
        {
            throw new ModelPackageException(ModelPackageError.ManifestInvalid, folder, "model.json is empty");
        }
        ManifestValidator.Validate(manifest, folder, mode);
        return manifest;
    }

    /// <summary>
    /// Where a file model.json names is: in the package folder, or — for a graph a package names but does not carry (the
    /// ImageNet backbone is too large to commit) — beside the binaries. Null when in neither.
    /// </summary>
    public static string? Locate(string packageFolder, string file)
    {
        string[] candidates = [Path.Combine(packageFolder, file), Path.Combine(SharedGraphFolder, file)];
        return candidates.FirstOrDefault(File.Exists);
    }

    private static string Resolve(string folder, string file, string? source, string? sha256, string packageName, string field, PackageOpenMode mode)
    {
        if (Locate(folder, file) is { } path)
        {
            PackageIntegrity.Verify(path, sha256, packageName, $"{field}.sha256", mode);
            return path;
        }
        var hint = source is null ? "" : $" (source: {source})";
        throw new ModelPackageException(ModelPackageError.GraphFileMissing, packageName, file, $"{field}.file",
            $"not found in the package or in {SharedGraphFolder}{hint}");
    }
}
