using CxrPacsAgent.Imaging.Segmentation;

namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>
/// The study's preprocessing, in its order: crop borders and text bands → brightness standardisation → CLAHE →
/// aspect-preserving resize with padding → lung map → [image, lung map, zeros] tensor. Deterministic: no randomness
/// (augmentation belongs to training).
/// </summary>
public sealed class CxrPreprocessor(PreprocessOptions options, ILungSegmenter segmenter)
{
    /// <summary>
    /// The version of what this class computes. Raise it whenever a stage's output changes for any input: a model
    /// package records the version its training inputs were made with, and the runtime refuses a package of another
    /// version. 1: the preprocessing as of 2026-12-01, the first versioned one (packages older than versioning).
    /// </summary>
    public const int Version = 1;

    public CxrPreprocessor() : this(new PreprocessOptions(), new ClassicalLungSegmenter()) { }

    public PreprocessOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Runs every stage. Bad pixels give an <see cref="ImageException"/> with its <see cref="ImageError"/>.</summary>
    public PreprocessResult Run(GrayImage original)
    {
        ArgumentNullException.ThrowIfNull(original);
        Options.Normalization.Validate(3);
        PixelValidation.EnsureUsable(original);

        var crop = BorderCrop.Find(original, Options.Crop);
        var cropped = original.Crop(crop);
        var standardized = BrightnessStandardizer.Apply(cropped, Options.LowPercentile, Options.HighPercentile);
        var clahe = Preprocessing.Clahe.Apply(standardized, Options.Clahe);
        var size = Options.InputSize;
        var content = AspectResize.Placement(cropped.Width, cropped.Height, size);
        var modelImage = AspectResize.Apply(clahe, size, Options.PadValue);
        var standardizedResized = AspectResize.Apply(standardized, size, Options.PadValue);
        var lungMap = segmenter.Segment(new LungSegmentationInput(modelImage, standardizedResized, content));
        var geometry = new PreprocessGeometry(original.Width, original.Height, crop, content, size);
        var tensor = InputTensor.FromChannels(modelImage, lungMap, Options.Normalization, Options.Channels);
        return new PreprocessResult(original, cropped, standardized, clahe, modelImage, lungMap, geometry, tensor);
    }
}
