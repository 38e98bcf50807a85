using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CxrPacsAgent.Inference.Packages;

/// <summary>The contents of a package's <c>model.json</c>: everything the runtime needs to feed and read the graphs.</summary>
/// <remarks>Written by the training toolkit (training/cxr_train/package.py); snake_case so both sides read it naturally.</remarks>
public sealed record ModelManifest
{
    public int SchemaVersion { get; init; } = 1;
    public string Name { get; init; } = "";
    public string Version { get; init; } = "";
    /// <summary>What the score means, in words (e.g. "pneumonia vs normal, pediatric CXR").</summary>
    public string Task { get; init; } = "";
    public InputSpec Input { get; init; } = new();
    /// <summary>ONNX files run one after another: each one's first output feeds the next one's input.</summary>
    public IReadOnlyList<GraphSpec> Graphs { get; init; } = [];
    public OutputSpec Outputs { get; init; } = new();
    /// <summary>An optional lung U-Net (ONNX, [N,1,H,W] grey in, [N,1,H,W] probability out) that replaces the classical segmenter.</summary>
    public GraphSpec? LungSegmenter { get; init; }
    public double Threshold { get; init; } = 0.5;
    public string PositiveLabel { get; init; } = "";
    public string NegativeLabel { get; init; } = "";
    /// <summary>Augmentations used in training (free-form; recorded for the model card, not used at inference).</summary>
    public JsonObject? Augmentation { get; init; }
    public JsonObject? TrainingData { get; init; }
    public JsonObject? Metrics { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}

/// <summary>What the first graph takes: size, what each of the 3 channels holds, and how pixel values are scaled.</summary>
public sealed record InputSpec
{
    public int Width { get; init; }
    public int Height { get; init; }
    public IReadOnlyList<InputChannel> Channels { get; init; } = [];
    public NormalizationSpec Normalization { get; init; } = new();
}

/// <summary>The source of one input channel.</summary>
public enum InputChannel
{
    /// <summary>The preprocessed grey image.</summary>
    Image,
    /// <summary>The lung probability map from the segmenter.</summary>
    LungMap,
    /// <summary>Constant zero (the paper's third channel).</summary>
    Zeros,
}

/// <summary>value = (pixel01 × Scale − Mean[c]) / Std[c], per channel.</summary>
public sealed record NormalizationSpec
{
    public double Scale { get; init; } = 1;
    public IReadOnlyList<double> Mean { get; init; } = [0, 0, 0];
    public IReadOnlyList<double> Std { get; init; } = [1, 1, 1];
}

/// <summary>One ONNX file of the chain.</summary>
public sealed record GraphSpec
{
    public string File { get; init; } = "";
    /// <summary>Why the file may be absent from the package folder (e.g. "nuget:Microsoft.ML.DnnImageFeaturizer.ResNet18/0.23.1").</summary>
    public string? Source { get; init; }
    /// <summary>
    /// The tensor this graph hands to the next one, when that is not its first output: an inner tensor of a graph the
    /// package does not carry (the NuGet ResNet18 stopped before its last residual block, whose fine-tuned copy the
    /// next graph holds). Null: the first output.
    /// </summary>
    public string? Output { get; init; }
}

/// <summary>Names of the last graph's outputs.</summary>
public sealed record OutputSpec
{
    /// <summary>Probability of the positive class, shape [N] or [N,1].</summary>
    public string Score { get; init; } = "score";
    /// <summary>Last hidden layer, shape [N,D].</summary>
    public string Embedding { get; init; } = "embedding";
}
