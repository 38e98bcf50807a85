namespace CxrPacsAgent.Inference.Packages;

/// <summary>Why a model package was refused at start-up.</summary>
public enum ModelPackageError
{
    FolderMissing,
    ManifestMissing,
    ManifestInvalid,
    FieldMissing,
    ThresholdOutOfRange,
    ChannelLayoutInvalid,
    NormalizationInvalid,
    GraphFileMissing,
    GraphUnreadable,
    InputShapeMismatch,
    ChainShapeMismatch,
    OutputMissing,
    OutputShapeInvalid,
    EnsembleMismatch,
    SegmenterInvalid,
}
