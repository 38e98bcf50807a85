using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CxrPacsAgent.Imaging.Preprocessing;

namespace CxrPacsAgent.Inference.Packages;

/// <summary>The contents of a package's <c>model.json</c>: everything the runtime needs to feed and read the graphs.</summary>
/// <remarks>Written by the training toolkit (training/cxr_train/package.py); snake_case so both sides read it naturally.</remarks>
public sealed record ModelManifest
{
    /// <summary>The schema this runtime reads. Version 2 added integrity (sha256), the preprocessing version, calibration and OOD statistics.</summary>
    public const int CurrentSchemaVersion = 2;

    [JsonRequired]
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Name { get; init; } = "";
    /// <summary>Semantic version (SemVer 2.0.0) of the package.</summary>
    public string Version { get; init; } = "";
    /// <summary>What the score means, in words (e.g. "pneumonia vs normal, pediatric CXR").</summary>
    public string Task { get; init; } = "";
    public InputSpec Input { get; init; } = new();
    /// <summary>ONNX files run one after another: each one's first output feeds the next one's input.</summary>
    public IReadOnlyList<GraphSpec> Graphs { get; init; } = [];
    public OutputSpec Outputs { get; init; } = new();
    /// <summary>An optional lung U-Net (ONNX, [N,1,H,W] grey in, [N,1,H,W] probability out) that replaces the classical segmenter.</summary>
    public GraphSpec? LungSegmenter { get; init; }
    /// <summary>The preprocessing the package was trained on; the runtime refuses any other.</summary>
    public PreprocessingSpec? Preprocessing { get; init; }
    /// <summary>Operating threshold, on <see cref="Calibration"/>'s probability when the package has one (else on the raw score).</summary>
    public double Threshold { get; init; } = 0.5;
    /// <summary>Maps the graph's raw score to a calibrated probability; absent = the raw score is reported as is.</summary>
    public CalibrationSpec? Calibration { get; init; }
    /// <summary>Statistics of the training distribution and the distance beyond which a result is out of distribution.</summary>
    public OodSpec? Ood { get; init; }
    /// <summary>How <see cref="Threshold"/> was chosen (target sensitivity, what it reached, on which cases); descriptive.</summary>
    public JsonObject? OperatingPoint { get; init; }
    /// <summary>What results looked like on the cases the package was calibrated on: the baseline drift is measured against.</summary>
    public ReferenceSpec? Reference { get; init; }
    public string PositiveLabel { get; init; } = "";
    public string NegativeLabel { get; init; } = "";
    /// <summary>The finding a positive score is about, coded (e.g. SNOMED CT 233604007 "Pneumonia"): what the DICOM SR names.</summary>
    public FindingSpec? Finding { get; init; }
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
    /// <summary>SHA-256 of the file (64 hex digits); the runtime refuses a file that does not match.</summary>
    public string? Sha256 { get; init; }
}

/// <summary>Which version of the C# preprocessing produced the package's training inputs.</summary>
public sealed record PreprocessingSpec
{
    public int Version { get; init; }
}

/// <summary>
/// Platt scaling of the raw score: probability = σ(Slope·logit(score) + Intercept). Fitted by <c>cxr-agent calibrate</c>
/// on labelled cases the graphs never trained on; <see cref="FittedOn"/> says which.
/// </summary>
public sealed record CalibrationSpec
{
    public string Method { get; init; } = "";
    public double Slope { get; init; }
    public double Intercept { get; init; }
    public JsonObject? FittedOn { get; init; }
}

/// <summary>
/// Out-of-distribution statistics of the training images' features (the backbone features that feed the last graph,
/// or the embedding) in <see cref="File"/> (.npy), and the distance above which a result is flagged (chosen on
/// held-out in-distribution images). <c>knn</c>: the file holds the L2-normalised training features [N, D] and the
/// distance is 1 − the cosine similarity to the <see cref="K"/>-th nearest; <c>mahalanobis</c>: the file holds the mean
/// and the precision matrix [D+1, D] and the distance is the Mahalanobis distance.
/// </summary>
public sealed record OodSpec
{
    public string Method { get; init; } = "";
    /// <summary>Which neighbour's distance counts, for <c>knn</c>.</summary>
    public int K { get; init; }
    public OodFeatures Features { get; init; }
    public string File { get; init; } = "";
    public string? Sha256 { get; init; }
    public double Threshold { get; init; }
    public JsonObject? FittedOn { get; init; }
    /// <summary>A second, known population the package must flag (e.g. children for an adult model), for <c>knn</c>.</summary>
    public OodContrastSpec? Contrast { get; init; }
}

/// <summary>
/// A contrast population for the <c>knn</c> OOD test: the last <see cref="Rows"/> rows of the statistics file are its
/// L2-normalised features, and an image is also flagged when its k-th nearest training distance divided by its k-th
/// nearest contrast distance exceeds <see cref="Threshold"/> — it looks more like the contrast population than like
/// the training images, even where it is not far from either.
/// </summary>
public sealed record OodContrastSpec
{
    public int Rows { get; init; }
    public double Threshold { get; init; }
    public JsonObject? FittedOn { get; init; }
}

/// <summary>
/// The results of the cases the package was last calibrated on, for drift monitoring: the share of calibrated
/// probabilities in each of <see cref="ScoreBins"/>' equal-width bins over [0,1], and the skip and OOD rates.
/// </summary>
public sealed record ReferenceSpec
{
    public string Data { get; init; } = "";
    public int N { get; init; }
    public IReadOnlyList<double> ScoreBins { get; init; } = [];
    public double SkipRate { get; init; }
    public double? OodRate { get; init; }
}

/// <summary>Which features the OOD distance is measured on.</summary>
public enum OodFeatures
{
    /// <summary>The embedding output (last hidden layer).</summary>
    Embedding,
    /// <summary>The input of the last graph (frozen backbone features); needs a chain of two graphs or more.</summary>
    Backbone,
    /// <summary>
    /// The input of the last graph averaged over each channel's positions (C×H×W → C): for a chain whose first graph
    /// hands on an inner feature map (512×7×7 before a fine-tuned last block), the pooled features, as small as a
    /// whole backbone's.
    /// </summary>
    Pooled,
}

/// <summary>Names of the last graph's outputs.</summary>
public sealed record OutputSpec
{
    /// <summary>Probability of the positive class, shape [N] or [N,1].</summary>
    public string Score { get; init; } = "score";
    /// <summary>Last hidden layer, shape [N,D].</summary>
    public string Embedding { get; init; } = "embedding";
}

/// <summary>A coded finding as the DICOM Code Sequence Macro writes it (PS3.3 8.8).</summary>
public sealed record FindingSpec
{
    /// <summary>Code Value, e.g. "233604007".</summary>
    public string CodeValue { get; init; } = "";
    /// <summary>Coding Scheme Designator, e.g. "SCT" (SNOMED CT).</summary>
    public string CodingSchemeDesignator { get; init; } = "";
    /// <summary>Code Meaning, e.g. "Pneumonia".</summary>
    public string CodeMeaning { get; init; } = "";
}
