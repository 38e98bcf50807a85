namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>
/// The preprocessing recipe. Defaults follow the paper's recipe for a ResNet50 at 224×224; a model package may override
/// the input size and <see cref="Normalization"/>.
/// </summary>
public sealed record PreprocessOptions
{
    /// <summary>Square model input side in pixels. Default 224 (the ResNet backbones' size).</summary>
    public int InputSize { get; init; } = 224;

    /// <summary>Border crop thresholds.</summary>
    public BorderCropOptions Crop { get; init; } = new();

    /// <summary>Brightness standardisation: these percentiles of the cropped image map to 0 and 1. Default 1 % and 99 %.</summary>
    public double LowPercentile { get; init; } = 0.01;

    /// <inheritdoc cref="LowPercentile"/>
    public double HighPercentile { get; init; } = 0.99;

    /// <summary>CLAHE settings. Default: 8×8 tiles, clip limit 2.0 (OpenCV's convention), 256 bins.</summary>
    public ClaheOptions Clahe { get; init; } = new();

    /// <summary>Grey value of the padding that keeps the aspect ratio. Default 0 (black, as the study padded).</summary>
    public float PadValue { get; init; }

    /// <summary>How the [0,1] image and lung map become model input. Default: the ImageNet ResNet BGR-mean convention.</summary>
    public Normalization Normalization { get; init; } = Normalization.ResNetBgrMean;

    /// <summary>What each of the tensor's three channels holds, in order. Default: the paper's [image, lung map, zeros].</summary>
    public IReadOnlyList<InputChannel> Channels { get; init; } = InputTensor.PaperChannels;
}
