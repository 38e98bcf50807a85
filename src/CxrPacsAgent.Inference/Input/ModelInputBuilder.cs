using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Imaging.Segmentation;
using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Inference.Input;

/// <summary>
/// Configures the one C# preprocessing (Imaging's <see cref="CxrPreprocessor"/>) as a package's model.json says — input
/// size, channel order, normalisation, its lung U-Net — so that the preprocessor's tensor is the model's input as is.
/// </summary>
public sealed class ModelInputBuilder
{
    private readonly CxrPreprocessor preprocessor;

    public ModelInputBuilder(ModelManifest manifest, ILungSegmenter? segmenter = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Input.Width != manifest.Input.Height)
        {
            throw new ModelPackageException(ModelPackageError.InputShapeMismatch, manifest.Name,
                "the preprocessing produces square inputs; input width and height must be equal");
        }
        var n = manifest.Input.Normalization;
        var options = new PreprocessOptions
        {
            InputSize = manifest.Input.Width,
            Normalization = new Normalization((float)n.Scale, [.. n.Mean.Select(v => (float)v)], [.. n.Std.Select(v => (float)v)]),
            Channels = manifest.Input.Channels,
        };
        preprocessor = new CxrPreprocessor(options, segmenter ?? new ClassicalLungSegmenter());
    }

    public int Size => preprocessor.Options.InputSize;

    /// <summary>Preprocesses and returns the model input (3 × size × size, CHW).</summary>
    public InputTensor Build(GrayImage image) => preprocessor.Run(image).Tensor;

    /// <summary>Full preprocessing result, for callers that also want the lung map (masking audit, overlays).</summary>
    public PreprocessResult Preprocess(GrayImage image) => preprocessor.Run(image);

    /// <summary>
    /// The model input of a preprocessing result: its own tensor, or with <paramref name="lungMask"/> a second one whose
    /// image channel is black inside the lungs (the shortcut audit).
    /// </summary>
    public InputTensor Build(PreprocessResult result, bool lungMask = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        var options = preprocessor.Options;
        return lungMask
            ? InputTensor.FromChannels(MaskLungs(result.ModelImage, result.LungMap), result.LungMap, options.Normalization, options.Channels)
            : result.Tensor;
    }

    /// <summary>
    /// Shortcut audit: the image with the lung fields set to black, so only the surroundings remain. The mask is the lung
    /// map (p ≥ 0.5) united with its mirror image: the classical segmenter often misses a consolidated (bright) lung, and
    /// lungs are near mirror images, so the mirror covers the missed side.
    /// </summary>
    internal static GrayImage MaskLungs(GrayImage image, GrayImage lungMap)
    {
        var masked = (float[])image.Pixels.Clone();
        var w = image.Width;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var i = (y * w) + x;
                if (lungMap.Pixels[i] >= 0.5f || lungMap.Pixels[(y * w) + (w - 1 - x)] >= 0.5f)
                {
                    masked[i] = 0f;
                }
            }
        }
        return new GrayImage(image.Width, image.Height, masked);
    }
}
