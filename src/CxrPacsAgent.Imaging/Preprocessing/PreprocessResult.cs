namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>Every stage of one preprocessing run, so a person (or a test) can see what the model sees.</summary>
public sealed record PreprocessResult(
    GrayImage Original,
    GrayImage Cropped,
    GrayImage Standardized,
    GrayImage Clahe,
    GrayImage ModelImage,
    GrayImage LungMap,
    PreprocessGeometry Geometry,
    InputTensor Tensor);
