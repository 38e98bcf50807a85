using System.Text.Json;
using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Inference.Tests.TestSupport;

/// <summary>Builds small model packages in temporary folders: a tiny linear "classifier" on 3×8×8 inputs.</summary>
internal static class TestPackages
{
    public const int Size = 8;
    public const int Features = 3 * Size * Size;
    public const int Embedding = 4;

    public static ModelManifest Manifest(params string[] graphs) => new()
    {
        Name = "tiny-test",
        Version = "0.0.1",
        Task = "test task (not a medical model)",
        Input = new InputSpec
        {
            Width = Size,
            Height = Size,
            Channels = [InputChannel.Image, InputChannel.LungMap, InputChannel.Zeros],
            Normalization = new NormalizationSpec(),
        },
        Graphs = [.. graphs.Select(g => new GraphSpec { File = g })],
        Preprocessing = new PreprocessingSpec { Version = CxrPreprocessor.Version },
        Threshold = 0.5,
        PositiveLabel = "PNEUMONIA",
        NegativeLabel = "NORMAL",
    };

    /// <summary>
    /// A package folder with the single-graph tiny model and the given manifest (default: <see cref="Manifest"/>). Every
    /// graph the folder holds gets its SHA-256 in model.json, as a real package's does (unless <paramref name="hash"/> is false).
    /// </summary>
    public static string Create(ModelManifest? manifest = null, Action<string>? graphs = null, bool hash = true)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cxr-inf-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        manifest ??= Manifest("model.onnx");
        if (graphs is null)
        {
            Full().Save(Path.Combine(folder, "model.onnx"));
        }
        else
        {
            graphs(folder);
        }
        if (hash)
        {
            manifest = manifest with
            {
                Graphs = [.. manifest.Graphs.Select(g => g with { Sha256 = HashOf(folder, g.File) ?? g.Sha256 })],
                LungSegmenter = manifest.LungSegmenter is { } s ? s with { Sha256 = HashOf(folder, s.File) ?? s.Sha256 } : null,
                Ood = manifest.Ood is { } o ? o with { Sha256 = HashOf(folder, o.File) ?? o.Sha256 } : null,
            };
        }
        File.WriteAllText(Path.Combine(folder, "model.json"), JsonSerializer.Serialize(manifest, ModelManifest.JsonOptions));
        return folder;
    }

    /// <summary>A 2-D float32 .npy file (the format of a package's OOD statistics), written by hand.</summary>
    public static void WriteNpy(string path, float[] values, int rows, int columns)
    {
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}";
        header = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8)]);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(header));
        foreach (var v in values)
        {
            stream.Write(BitConverter.GetBytes(v));
        }
    }

    private static string? HashOf(string folder, string file)
    {
        var path = Path.Combine(folder, file);
        return File.Exists(path) ? PackageIntegrity.Sha256(path) : null;
    }

    public static float[] W1 { get; } = [.. Enumerable.Range(0, Features * Embedding).Select(i => (float)Math.Sin(i * 0.37) * 0.05f)];
    public static float[] B1 { get; } = [0.1f, -0.2f, 0.05f, 0.3f];
    public static float[] W2 { get; } = [0.8f, -0.5f, 0.3f, 0.6f];
    public static float[] B2 { get; } = [-0.1f];

    /// <summary>input [N,3,8,8] → flatten → embedding = relu(x·W1 + b1) [N,4] → score = sigmoid(e·W2 + b2) [N,1].</summary>
    public static OnnxGraphBuilder Full(long batch = 0, string score = "score", string embedding = "embedding", int size = Size) =>
        Head(new OnnxGraphBuilder().Input("input", batch, 3, size, size).Node("Flatten", ["input"], ["flat"], ("axis", 1)),
            "flat", score, embedding);

    /// <summary>First graph of a chain: [1,3,8,8] → [1,192] (fixed batch 1, like the CNTK ResNet18).</summary>
    public static OnnxGraphBuilder Backbone(int outFeatures = Features)
    {
        var b = new OnnxGraphBuilder().Input("image", 1, 3, Size, Size);
        if (outFeatures == Features)
        {
            return b.Node("Flatten", ["image"], ["features"], ("axis", 1)).Output("features", 1, Features);
        }
        // A projection to another width: for chains whose shapes do not meet.
        return b.Node("Flatten", ["image"], ["flat"], ("axis", 1))
            .Initializer("P", new float[Features * outFeatures], Features, outFeatures)
            .Node("MatMul", ["flat", "P"], ["features"]).Output("features", 1, outFeatures);
    }

    /// <summary>Last graph of a chain: features [N,192] → score, embedding.</summary>
    public static OnnxGraphBuilder HeadOnly() =>
        Head(new OnnxGraphBuilder().Input("features", 0, Features), "features", "score", "embedding");

    private static OnnxGraphBuilder Head(OnnxGraphBuilder b, string input, string score, string embedding) => b
        .Initializer("W1", W1, Features, Embedding).Initializer("B1", B1, Embedding)
        .Initializer("W2", W2, Embedding, 1).Initializer("B2", B2, 1)
        .Node("Gemm", [input, "W1", "B1"], ["pre"])
        .Node("Relu", ["pre"], [embedding])
        .Node("Gemm", [embedding, "W2", "B2"], ["logit"])
        .Node("Sigmoid", ["logit"], [score])
        .Output(score, 0, 1)
        .Output(embedding, 0, Embedding);

    /// <summary>What the tiny model computes, in plain C#: the reference for runtime tests.</summary>
    public static (float Score, float[] Embedding) Expected(ReadOnlySpan<float> x)
    {
        var e = new float[Embedding];
        for (var j = 0; j < Embedding; j++)
        {
            double s = B1[j];
            for (var i = 0; i < Features; i++)
            {
                s += x[i] * W1[(i * Embedding) + j];
            }
            e[j] = (float)Math.Max(0, s);
        }
        double logit = B2[0];
        for (var j = 0; j < Embedding; j++)
        {
            logit += e[j] * W2[j];
        }
        return ((float)(1 / (1 + Math.Exp(-logit))), e);
    }

    public static float[] RandomInput(int batch, int seed)
    {
        var r = new Random(seed);
        return [.. Enumerable.Range(0, batch * Features).Select(_ => (float)r.NextDouble())];
    }
}
