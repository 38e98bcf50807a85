namespace CxrPacsAgent.Imaging.Segmentation;

/// <summary>
/// What a segmenter may look at, all at the model's input size: the CLAHE'd model image, the same geometry before CLAHE
/// (global intensities intact, which classical methods need), and where the radiograph lies inside the padding.
/// </summary>
public sealed record LungSegmentationInput(GrayImage Preprocessed, GrayImage Standardized, PixelRect Content);
