using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Imaging.Segmentation;
using CxrPacsAgent.Inference.Packages;
using Microsoft.ML.OnnxRuntime;

namespace CxrPacsAgent.Inference.Runtime;

/// <summary>
/// A package's lung U-Net behind Imaging's <see cref="ILungSegmenter"/>: the CLAHE'd model image (resized to the net's
/// input when they differ) in, the probability map (resized back, clamped to [0,1]) out.
/// </summary>
public sealed class OnnxLungSegmenter : ILungSegmenter, IDisposable
{
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly string outputName;
    private readonly int height;
    private readonly int width;

    private OnnxLungSegmenter(InferenceSession session, string inputName, string outputName, int height, int width)
    {
        this.session = session;
        this.inputName = inputName;
        this.outputName = outputName;
        this.height = height;
        this.width = width;
    }

    /// <summary>Opens and checks the graph: one input [N|1,1,H,W] with H and W known, a first output of the same shape.</summary>
    public static OnnxLungSegmenter Load(string path, SessionFactory factory, string package)
    {
        ArgumentNullException.ThrowIfNull(factory);
        InferenceSession session;
        try
        {
            session = factory.Create(path);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelPackageException(ModelPackageError.SegmenterInvalid, package, $"ONNX Runtime cannot load lung segmenter '{Path.GetFileName(path)}': {e.Message}", e);
        }
        var input = session.InputMetadata.Count == 1 ? session.InputMetadata.Single() : default;
        var dims = input.Value?.Dimensions ?? [];
        var outDims = session.OutputMetadata[session.OutputNames[0]].Dimensions;
        if (dims.Length != 4 || dims[1] != 1 || dims[2] <= 0 || dims[3] <= 0 || !outDims.Skip(1).SequenceEqual(dims.Skip(1)))
        {
            session.Dispose();
            throw new ModelPackageException(ModelPackageError.SegmenterInvalid, package,
                $"lung segmenter '{Path.GetFileName(path)}' must map [N,1,H,W] to [N,1,H,W] (it has [{string.Join(',', dims)}] → [{string.Join(',', outDims)}])");
        }
        return new OnnxLungSegmenter(session, input.Key, session.OutputNames[0], dims[2], dims[3]);
    }

    public GrayImage Segment(LungSegmentationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var image = input.Preprocessed;
        var resized = image.Width == width && image.Height == height ? image : AspectResize.Bilinear(image, width, height);
        // ONNX Runtime reads the pixels in place; it never writes to an input.
        using var value = OrtValue.CreateTensorValueFromMemory(resized.Pixels, [1, 1, height, width]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [value], [outputName]);
        var map = new GrayImage(width, height, outputs[0].GetTensorDataAsSpan<float>().ToArray());
        for (var i = 0; i < map.Pixels.Length; i++)
        {
            map.Pixels[i] = Math.Clamp(map.Pixels[i], 0f, 1f);
        }
        return map.Width == image.Width && map.Height == image.Height ? map : AspectResize.Bilinear(map, image.Width, image.Height);
    }

    public void Dispose() => session.Dispose();
}
