using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Imaging.Segmentation;
using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Inference.Input;

/// <summary>
/// Turns a decoded radiograph into the tensor a package wants: the one C# preprocessing (Imaging's
/// <see cref="CxrPreprocessor"/>), then the channels in the package's order, normalised as model.json says.
/// </summary>
public sealed class ModelInputBuilder
{
    private readonly CxrPreprocessor preprocessor;
    private readonly IReadOnlyList<InputChannel> channels;
    private readonly Normalization normalization;

    public ModelInputBuilder(ModelManifest manifest, ILungSegmenter? segmenter = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Input.Width != manifest.Input.Height)
        {
            throw new ModelPackageException(ModelPackageError.InputShapeMismatch, manifest.Name,
                "the preprocessing produces square inputs; input width and height must be equal");
        }
        var n = manifest.Input.Normalization;
        normalization = new Normalization((float)n.Scale, [.. n.Mean.Select(v => (float)v)], [.. n.Std.Select(v => (float)v)]);
        channels = manifest.Input.Channels;
        var options = new PreprocessOptions { InputSize = manifest.Input.Width, Normalization = normalization };
        preprocessor = new CxrPreprocessor(options, segmenter ?? new ClassicalLungSegmenter());
    }

    public int Size => preprocessor.Options.InputSize;

    /// <summary>Preprocesses and returns the CHW tensor (3 × size × size).</summary>
    public float[] Build(GrayImage image) => Build(preprocessor.Run(image));

    /// <summary>Full preprocessing result, for callers that also want the lung map (masking audit, overlays).</summary>
    public PreprocessResult Preprocess(GrayImage image) => preprocessor.Run(image);

    /// <summary>The tensor from a preprocessing result; <paramref name="lungMask"/> zeroes the image inside the lungs.</summary>
    public float[] Build(PreprocessResult result, bool lungMask = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plane = Size * Size;
        var tensor = new float[3 * plane];
        var image = lungMask ? MaskLungs(result.ModelImage, result.LungMap) : result.ModelImage.Pixels;
        for (var c = 0; c < 3; c++)
        {
            var target = tensor.AsSpan(c * plane, plane);
            switch (channels[c])
            {
                case InputChannel.Image:
                    Fill(target, image, c);
                    break;
                case InputChannel.LungMap:
                    Fill(target, result.LungMap.Pixels, c);
                    break;
                default:
                    target.Fill(normalization.Apply(0f, c));
                    break;
            }
        }
        return tensor;
    }

    /// <summary>
    /// Shortcut audit: the image with the lung fields set to black, so only the surroundings remain. The mask is the lung
    /// map (p ≥ 0.5) united with its mirror image: the classical segmenter often misses a consolidated (bright) lung, and
    /// lungs are near mirror images, so the mirror covers the missed side.
    /// </summary>
    internal static float[] MaskLungs(GrayImage image, GrayImage lungMap)
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
        return masked;
    }

    private void Fill(Span<float> target, float[] source, int channel)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = normalization.Apply(source[i], channel);
        }
    }
}
