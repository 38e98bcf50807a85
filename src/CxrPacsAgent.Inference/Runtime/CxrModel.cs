using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Inference.Packages;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace CxrPacsAgent.Inference.Runtime;

/// <summary>A loaded, validated model package: the chain of ONNX sessions from input tensor to score and embedding.</summary>
public sealed class CxrModel : IDisposable
{
    private readonly GraphStage[] stages;

    private readonly OodDetector? ood;

    private CxrModel(ModelPackage package, GraphStage[] stages, int embeddingSize, ExecutionDevice device, OnnxLungSegmenter? segmenter)
    {
        Package = package;
        this.stages = stages;
        EmbeddingSize = embeddingSize;
        Device = device;
        LungSegmenter = segmenter;
        if (package.Manifest.Ood is { } spec)
        {
            ood = OodDetector.Load(package, OodDimension(spec.Features));
        }
    }

    /// <summary>The package's out-of-distribution test, or null when it carries no statistics.</summary>
    public OodDetector? OodDetector => ood;

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

    /// <summary>Channels of the last graph's input (its second dimension; the whole input when it is flat).</summary>
    public int FeatureChannels => stages.Length < 2 || stages[^1].InputDims.Length < 3 ? FeatureSize : stages[^1].InputDims[1];

    /// <summary>Length of the vector the OOD test measures on <paramref name="kind"/> features.</summary>
    public int OodDimension(OodFeatures kind) => kind switch
    {
        OodFeatures.Embedding => EmbeddingSize,
        OodFeatures.Pooled => FeatureChannels,
        _ => FeatureSize,
    };

    /// <summary>
    /// The vector the OOD test measures for one image, from the last graph's input (<paramref name="features"/>) and
    /// the embedding: one place, so that fitting the statistics and measuring against them see the same vector.
    /// </summary>
    public ReadOnlySpan<float> OodInput(OodFeatures kind, ReadOnlySpan<float> features, float[] embedding) => kind switch
    {
        OodFeatures.Embedding => embedding,
        OodFeatures.Pooled => ChannelMeans(features, FeatureChannels),
        _ => features,
    };

    private static float[] ChannelMeans(ReadOnlySpan<float> features, int channels)
    {
        var positions = features.Length / channels;
        var means = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            means[c] = System.Numerics.Tensors.TensorPrimitives.Sum(features.Slice(c * positions, positions)) / positions;
        }
        return means;
    }

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
            try
            {
                return new CxrModel(package, [.. stages], embedding, device, segmenter);
            }
            catch
            {
                segmenter?.Dispose();
                throw;
            }
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

    /// <summary>
    /// Runs <paramref name="batch"/> samples (NCHW, normalised) through the whole chain. ONNX Runtime reads
    /// <paramref name="input"/> in place: the tensor the preprocessing built is the one the first graph sees.
    /// </summary>
    public ModelOutputs Run(Memory<float> input, int batch)
    {
        var features = RunFeatures(input, batch);
        var last = RunStage(stages[^1], features, batch, [Manifest.Outputs.Score, Manifest.Outputs.Embedding]);
        return new ModelOutputs(last[0], last[1], EmbeddingSize) { Features = features };
    }

    /// <summary>One preprocessed image through the whole chain.</summary>
    public ModelOutputs Run(InputTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Run(tensor.Data, 1);
    }

    /// <summary>Runs every graph but the last: the frozen-backbone features a head is trained on (the input itself for one graph).</summary>
    public Memory<float> RunFeatures(Memory<float> input, int batch)
    {
        CheckInput(input.Length, batch);
        var current = input;
        for (var i = 0; i < stages.Length - 1; i++)
        {
            current = RunStage(stages[i], current, batch, null)[0];
        }
        return current;
    }

    /// <summary>
    /// Scores, calibrates and measures the distance from the training distribution of <paramref name="batch"/> samples;
    /// the call is made at the package threshold on the calibrated score.
    /// </summary>
    public IReadOnlyList<Prediction> Predict(Memory<float> input, int batch) => Predict(Run(input, batch));

    /// <summary>The predictions of outputs already computed by <see cref="Run(Memory{float}, int)"/> (no graph runs again).</summary>
    public IReadOnlyList<Prediction> Predict(ModelOutputs outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var result = new Prediction[outputs.Scores.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var raw = outputs.Scores[i];
            var score = (float)ScoreCalibration.Probability(Manifest.Calibration, raw);
            var positive = score >= Manifest.Threshold;
            var embedding = outputs.EmbeddingOf(i);
            result[i] = new Prediction(score, positive, positive ? Manifest.PositiveLabel : Manifest.NegativeLabel, embedding)
            {
                RawScore = raw,
                Ood = ood?.Measure(OodInput(ood.Features, outputs.FeaturesOf(i), embedding)),
            };
        }
        return result;
    }

    /// <summary>One preprocessed image's prediction.</summary>
    public Prediction Predict(InputTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Predict(tensor.Data, 1)[0];
    }

    private void CheckInput(int length, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (length != (long)batch * InputPerSample)
        {
            throw new ArgumentException($"{batch} samples of 3×{Manifest.Input.Height}×{Manifest.Input.Width} need {(long)batch * InputPerSample} values, got {length}.");
        }
    }

    private static float[][] RunStage(GraphStage stage, Memory<float> input, int batch, string[]? outputNames)
    {
        var names = outputNames ?? [stage.OutputName];
        if (!stage.FixedBatchOne || batch == 1)
        {
            return RunOnce(stage, input, batch, names);
        }
        // A graph with a fixed batch of 1: run each sample (a slice of the same memory) and concatenate the outputs.
        var per = input.Length / batch;
        var parts = new List<float[]>[names.Length];
        for (var k = 0; k < names.Length; k++)
        {
            parts[k] = [];
        }
        for (var b = 0; b < batch; b++)
        {
            var one = RunOnce(stage, input.Slice(b * per, per), 1, names);
            for (var k = 0; k < names.Length; k++)
            {
                parts[k].Add(one[k]);
            }
        }
        return [.. parts.Select(p => p.SelectMany(x => x).ToArray())];
    }

    private static float[][] RunOnce(GraphStage stage, Memory<float> input, int batch, string[] names)
    {
        var shape = stage.InputShape(batch, input.Length / batch);
        // Pins the managed memory and hands ONNX Runtime its address: no copy of the input.
        using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, shape);
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
