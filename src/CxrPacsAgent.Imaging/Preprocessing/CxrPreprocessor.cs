using CxrPacsAgent.Imaging.Segmentation;

namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>
/// The study's preprocessing, in its order: crop borders and text bands → brightness standardisation → CLAHE →
/// aspect-preserving resize with padding → lung map → [image, lung map, zeros] tensor. Deterministic: no randomness
/// (augmentation belongs to training).
/// </summary>
public sealed class CxrPreprocessor(PreprocessOptions options, ILungSegmenter segmenter)
{
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
