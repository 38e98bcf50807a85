namespace CxrPacsAgent.Imaging.Segmentation;

/// <summary>
/// Lung segmentation at the preprocessed (model input) size. The classical <see cref="ClassicalLungSegmenter"/> needs no
/// weights; the model package's U-Net (ONNX, in CxrPacsAgent.Inference) implements this too.
/// </summary>
public interface ILungSegmenter
{
    /// <summary>Returns a lung probability map in [0,1], the same size as the input images.</summary>
    GrayImage Segment(LungSegmentationInput input);
}
