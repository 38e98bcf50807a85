using CxrPacsAgent.Inference.Packages;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace CxrPacsAgent.Inference.Runtime;

/// <summary>A loaded, validated model package: the chain of ONNX sessions from input tensor to score and embedding.</summary>
public sealed class CxrModel : IDisposable
{
    private readonly GraphStage[] stages;

    private CxrModel(ModelPackage package, GraphStage[] stages, int embeddingSize, ExecutionDevice device, OnnxLungSegmenter? segmenter)
    {
        Package = package;
        this.stages = stages;
        EmbeddingSize = embeddingSize;
        Device = device;
        LungSegmenter = segmenter;
    }

    /// <summary>The package's lung U-Net, or null when the classical segmenter is to be used.</summary>
    public OnnxLungSegmenter? LungSegmenter { get; }

    public ModelPackage Package { get; }

    public ModelManifest Manifest => Package.Manifest;

    public int EmbeddingSize { get; }

    /// <summary>Elements of one input sample (3 × H × W).</summary>
    public int InputPerSample => 3 * Manifest.Input.Height * Manifest.Input.Width;

    /// <summary>Device the sessions run on after any CUDA fallback.</summary>
    public ExecutionDevice Device { get; }

    /// <summary>Elements per sample that <see cref="RunFeatures"/> returns (the input of the last graph).</summary>
    public int FeatureSize => stages.Length < 2 ? InputPerSample : (int)stages[^1].InputPerSample;

    public static CxrModel Load(string folder, InferenceOptions options, ILogger logger) =>
        Load(ModelPackage.Load(folder), new SessionFactory(options, logger));

    public static CxrModel Load(ModelPackage package, SessionFactory factory)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(factory);
        var stages = new List<GraphStage>();
        try
        {
            for (var g = 0; g < package.GraphPaths.Count; g++)
            {
                var path = package.GraphPaths[g];
                var output = package.Manifest.Graphs[g].Output;
                InferenceSession session;
                try
                {
                    session = factory.Create(path, output);
                }
                catch (OnnxRuntimeException e)
                {
                    var inner = output is null ? "" : $" with its tensor '{output}' as output";
                    throw new ModelPackageException(ModelPackageError.GraphUnreadable, package.Folder,
                        $"ONNX Runtime cannot load '{Path.GetFileName(path)}'{inner}: {e.Message}", e);
                }
                if (session.InputMetadata.Count != 1)
                {
                    session.Dispose();
                    throw new ModelPackageException(ModelPackageError.InputShapeMismatch, package.Folder,
                        $"'{Path.GetFileName(path)}' has {session.InputMetadata.Count} inputs; each graph must take exactly one");
                }
                stages.Add(new GraphStage(path, session, output));
            }
            var embedding = ChainValidator.Validate(package, stages);
            var device = factory.ActualDevice;
            var segmenter = package.SegmenterPath is { } s ? OnnxLungSegmenter.Load(s, factory, package.Folder) : null;
            return new CxrModel(package, [.. stages], embedding, device, segmenter);
        }
        catch
        {
            foreach (var s in stages)
            {
                s.Dispose();
            }
            throw;
        }
    }

    /// <summary>Runs <paramref name="batch"/> samples (NCHW, normalised) through the whole chain.</summary>
    public ModelOutputs Run(ReadOnlySpan<float> input, int batch)
    {
        var current = input.ToArray();
        for (var i = 0; i < stages.Length - 1; i++)
        {
            current = RunStage(stages[i], current, batch, null)[0];
        }
        var last = RunStage(stages[^1], current, batch, [Manifest.Outputs.Score, Manifest.Outputs.Embedding]);
        return new ModelOutputs(last[0], last[1], EmbeddingSize);
    }

    /// <summary>Runs every graph but the last: the frozen-backbone features a head is trained on.</summary>
    public float[] RunFeatures(ReadOnlySpan<float> input, int batch)
    {
        var current = input.ToArray();
        for (var i = 0; i < stages.Length - 1; i++)
        {
            current = RunStage(stages[i], current, batch, null)[0];
        }
        return current;
    }

    public IReadOnlyList<Prediction> Predict(ReadOnlySpan<float> input, int batch)
    {
        var outputs = Run(input, batch);
        var result = new Prediction[batch];
        for (var i = 0; i < batch; i++)
        {
            var score = outputs.Scores[i];
            var positive = score >= Manifest.Threshold;
            result[i] = new Prediction(score, positive, positive ? Manifest.PositiveLabel : Manifest.NegativeLabel,
                outputs.EmbeddingOf(i));
        }
        return result;
    }

    private static float[][] RunStage(GraphStage stage, float[] input, int batch, string[]? outputNames)
    {
        var names = outputNames ?? [stage.OutputName];
        if (!stage.FixedBatchOne || batch == 1)
        {
            return RunOnce(stage, input, batch, names);
        }
        // A graph with a fixed batch of 1: run each sample and concatenate the outputs.
        var per = input.Length / batch;
        var parts = new List<float[]>[names.Length];
        for (var k = 0; k < names.Length; k++)
        {
            parts[k] = [];
        }
        for (var b = 0; b < batch; b++)
        {
            var one = RunOnce(stage, input.AsSpan(b * per, per).ToArray(), 1, names);
            for (var k = 0; k < names.Length; k++)
            {
                parts[k].Add(one[k]);
            }
        }
        return [.. parts.Select(p => p.SelectMany(x => x).ToArray())];
    }

    private static float[][] RunOnce(GraphStage stage, float[] input, int batch, string[] names)
    {
        var shape = stage.InputShape(batch, input.Length / batch);
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var outputs = stage.Session.Run(runOptions, [stage.InputName], [value], names);
        return [.. outputs.Select(o => o.GetTensorDataAsSpan<float>().ToArray())];
    }

    public void Dispose()
    {
        foreach (var s in stages)
        {
            s.Dispose();
        }
        LungSegmenter?.Dispose();
    }
}
