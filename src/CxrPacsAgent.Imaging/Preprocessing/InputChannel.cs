namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>The source of one model-input channel; a model package lists three, in the order its first graph takes them.</summary>
public enum InputChannel
{
    /// <summary>The preprocessed grey image.</summary>
    Image,

    /// <summary>The lung probability map from the segmenter.</summary>
    LungMap,

    /// <summary>Constant zero (the paper's third channel).</summary>
    Zeros,
}
