using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;

namespace CxrPacsAgent.Inference.Explain;

/// <summary>Occlusion sensitivity of a loaded model (or an ensemble's mean score) on one preprocessed image.</summary>
public static class ModelOcclusion
{
    /// <summary>The saliency over the film (the cropped source: the field of <see cref="PreprocessResult.Cropped"/>), grid × grid.</summary>
    public static OcclusionMap Compute(ModelEnsemble ensemble, PreprocessResult preprocessed, float[] tensor, int grid)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ArgumentNullException.ThrowIfNull(preprocessed);
        var manifest = ensemble.Members[0].Manifest;
        return OcclusionSensitivity.Compute(tensor, preprocessed.Geometry.Size, preprocessed.Geometry.Content, ImageChannels(manifest), grid,
            (input, batch) => [.. ensemble.Predict(input, batch).Select(p => p.MeanScore)]);
    }

    /// <summary>The input channels that hold the image, per model.json.</summary>
    public static IReadOnlyList<int> ImageChannels(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return [.. manifest.Input.Channels.Select((c, i) => (c, i)).Where(x => x.c == InputChannel.Image).Select(x => x.i)];
    }
}
