namespace CxrPacsAgent.Imaging.Filtering;

/// <summary>Why an instance is not scored. Every skip has one, with a message, so a site can see what was filtered and why.</summary>
public enum SkipReason
{
    /// <summary>Not skipped: a frontal chest radiograph.</summary>
    None,

    /// <summary>No Pixel Data (an SR, a presentation state, …).</summary>
    NoPixelData,

    /// <summary>The SOP class is not CR, DX for presentation or Secondary Capture.</summary>
    UnsupportedSopClass,

    /// <summary>The modality is not CR, DX or DR.</summary>
    UnsupportedModality,

    /// <summary>Body Part Examined names something other than the chest.</summary>
    NotChest,

    /// <summary>View Position (or the series/protocol text) says lateral or oblique.</summary>
    NotFrontal,

    /// <summary>Image Laterality is L or R alone while the header does not say chest: a limb or one side.</summary>
    Unilateral,

    /// <summary>Colour, or several samples per pixel.</summary>
    NotGrayscale,

    /// <summary>Too small to hold a radiograph the model can use.</summary>
    TooSmall,

    /// <summary>The header is silent and the image does not look like a frontal chest (shape, symmetry, lung fields).</summary>
    ImageNotFrontalChest,
}
