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
    /// <summary>schema_version is not the one this runtime reads.</summary>
    SchemaVersionUnsupported,
    /// <summary>version is not a semantic version (SemVer 2.0.0).</summary>
    VersionInvalid,
    /// <summary>A file's SHA-256 differs from model.json's, or model.json lists none.</summary>
    IntegrityMismatch,
    /// <summary>The package was trained on another version of the preprocessing.</summary>
    PreprocessingMismatch,
    /// <summary>calibration is not a usable Platt scaling.</summary>
    CalibrationInvalid,
    /// <summary>ood names unknown features or method, or its statistics do not fit the model.</summary>
    OodInvalid,
}
