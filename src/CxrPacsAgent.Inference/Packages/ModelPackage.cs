using System.Text.Json;

namespace CxrPacsAgent.Inference.Packages;

/// <summary>A model package folder whose manifest has been read and checked, with the graph files found on disk.</summary>
/// <remarks>Graph checks that need ONNX Runtime (shapes, output names) are done by <see cref="Runtime.CxrModel"/>.</remarks>
public sealed class ModelPackage
{
    /// <summary>Where graphs that are not shipped in the package (the NuGet ImageNet backbone) are copied at build time.</summary>
    public static string SharedGraphFolder { get; } = Path.Combine(AppContext.BaseDirectory, "backbones");

    private ModelPackage(string folder, ModelManifest manifest, IReadOnlyList<string> graphPaths, string? segmenterPath)
    {
        Folder = folder;
        Manifest = manifest;
        GraphPaths = graphPaths;
        SegmenterPath = segmenterPath;
    }

    /// <summary>Full path of the package's lung U-Net, when it has one.</summary>
    public string? SegmenterPath { get; }

    public string Folder { get; }

    public ModelManifest Manifest { get; }

    /// <summary>Full paths of <see cref="ModelManifest.Graphs"/>, in order.</summary>
    public IReadOnlyList<string> GraphPaths { get; }

    public string DisplayName => $"{Manifest.Name} {Manifest.Version}";

    public static ModelPackage Load(string folder)
    {
        var manifest = ReadManifest(folder);
        var full = Path.GetFullPath(folder);
        var paths = manifest.Graphs.Select(g => Resolve(full, g, folder)).ToArray();
        var segmenter = manifest.LungSegmenter is { } s ? Resolve(full, s, folder) : null;
        return new ModelPackage(full, manifest, paths, segmenter);
    }

    /// <summary>Reads and checks model.json only: enough to know the input a package wants (tensor export for training).</summary>
    public static ModelManifest ReadManifest(string folder)
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
        ManifestValidator.Validate(manifest, folder);
        return manifest;
    }

    private static string Resolve(string folder, GraphSpec graph, string packageName)
    {
        // A package may name a graph it does not carry (the ImageNet backbone is too large to commit): look beside the binaries.
        string[] candidates = [Path.Combine(folder, graph.File), Path.Combine(SharedGraphFolder, graph.File)];
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        var hint = graph.Source is null ? "" : $" (source: {graph.Source})";
        throw new ModelPackageException(ModelPackageError.GraphFileMissing, packageName,
            $"graph file '{graph.File}' not found in the package or in {SharedGraphFolder}{hint}");
    }
}
