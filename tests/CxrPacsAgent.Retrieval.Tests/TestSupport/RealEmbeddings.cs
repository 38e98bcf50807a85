using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Retrieval.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Retrieval.Tests.TestSupport;

/// <summary>
/// Embeddings of real radiographs from ../shared/data — every 40th Kermany image (pediatric) and every 8th NIH image
/// (adult), 208 in all — made by the shipped package, once: they are cached in the temp folder under a key of the
/// package's files and the image list, so later runs read them back instead of running the model.
/// </summary>
public sealed class RealEmbeddings
{
    public RealEmbeddings()
    {
        var root = typeof(RealEmbeddings).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        var data = Path.GetFullPath(Path.Combine(root, "..", "shared", "data"));
        var files = Pick(Path.Combine(data, "kermany-pneumonia-224"), every: 40).Concat(Pick(Path.Combine(data, "nih-cxr14-pneumonia-512"), every: 8)).ToList();
        var cache = Path.Combine(Path.GetTempPath(), "cxr-retrieval-tests-cache", $"embeddings-{Key(files)}.f32");
        if (File.Exists(cache))
        {
            var all = EmbeddingCodec.Decode(File.ReadAllBytes(cache));
            Vectors = [.. Enumerable.Range(0, files.Count).Select(i => all.AsSpan(i * 128, 128).ToArray())];
        }
        else
        {
            using var model = CxrModel.Load(DefaultModel.Folder, new InferenceOptions { IntraOpThreads = 1 }, NullLogger.Instance);
            var builder = new ModelInputBuilder(model.Manifest, model.LungSegmenter);
            Vectors = [.. files.AsParallel().AsOrdered().Select(f => model.Predict(builder.Build(RadiographLoader.Load(f))).Embedding)];
            Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
            var temporary = cache + $".{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temporary, EmbeddingCodec.Encode(Vectors.SelectMany(v => v).ToArray()));
            File.Move(temporary, cache, overwrite: true);
        }
        Kermany = files.Count(f => f.Contains("kermany", StringComparison.Ordinal));
    }

    /// <summary>128-dimensional embeddings, the Kermany ones first.</summary>
    public IReadOnlyList<float[]> Vectors { get; }

    public int Kermany { get; }

    private static IEnumerable<string> Pick(string folder, int every) =>
        File.ReadLines(Path.Combine(folder, "labels.csv")).Skip(1).Where((_, i) => i % every == 0).Select(l => Path.Combine(folder, l.Split(',')[0]));

    private static string Key(IEnumerable<string> files)
    {
        var package = Directory.GetFiles(DefaultModel.Folder).Order(StringComparer.Ordinal).Select(f => $"{Path.GetFileName(f)}:{new FileInfo(f).Length}:{File.GetLastWriteTimeUtc(f).Ticks}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', package.Concat(files)))))[..16];
    }
}
