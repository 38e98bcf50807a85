using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Imaging.Filtering;

/// <summary>
/// Decides "frontal chest radiograph or not" from the header; where the header is silent about body part or view,
/// <see cref="ImageViewHeuristic"/> looks at the pixels. The header is believed when it speaks: the image heuristic is a
/// fallback, not a second opinion.
/// </summary>
public static class FrontalChestFilter
{
    private static readonly HashSet<string> SopClasses =
    [
        DicomUids.ComputedRadiographyImageStorage,
        DicomUids.DigitalXRayImageStorageForPresentation,
        DicomUids.SecondaryCaptureImageStorage,
    ];

    private static readonly HashSet<string> Modalities = ["CR", "DX", "DR"];

    // PS3.16 CID 4031 values and what sites actually write.
    private static readonly HashSet<string> ChestParts = ["CHEST", "THORAX", "LUNG", "LUNGS", "TORAX", "THORAX_CHEST", "PECHO", "CHEST_PA", "CHEST_AP"];

    private static readonly HashSet<string> FrontalViews = ["PA", "AP", "POSTERO_ANTERIOR", "ANTERO_POSTERIOR"];

    private static readonly string[] LateralWords = ["LAT", "LATERAL", "LL", "RL", "OBL", "OBLIQUE", "LAO", "RAO", "LPO", "RPO"];

    /// <summary>The header verdict. <see cref="ViewDecision.NeedsImageCheck"/> is set when the image must decide.</summary>
    public static ViewDecision FromHeader(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var sopClass = Text(dataset, DicomTags.SOPClassUID);
        if (!dataset.Contains(DicomTags.PixelData))
        {
            return ViewDecision.Skip(SkipReason.NoPixelData, $"no Pixel Data (SOP class {Name(sopClass)})");
        }
        if (sopClass.Length > 0 && !SopClasses.Contains(sopClass))
        {
            return ViewDecision.Skip(SkipReason.UnsupportedSopClass, $"SOP class {Name(sopClass)} is not CR, DX for presentation or Secondary Capture");
        }
        var modality = Text(dataset, DicomTags.Modality).ToUpperInvariant();
        if (!Modalities.Contains(modality))
        {
            return ViewDecision.Skip(SkipReason.UnsupportedModality, $"Modality '{modality}' is not CR, DX or DR");
        }
        var bodyPart = Text(dataset, DicomTags.BodyPartExamined).ToUpperInvariant();
        if (bodyPart.Length > 0 && !ChestParts.Contains(bodyPart))
        {
            return ViewDecision.Skip(SkipReason.NotChest, $"Body Part Examined is {bodyPart}");
        }
        var laterality = Text(dataset, DicomTags.ImageLaterality).ToUpperInvariant();
        if (bodyPart.Length == 0 && laterality is "L" or "R")
        {
            return ViewDecision.Skip(SkipReason.Unilateral, $"Image Laterality {laterality} without a chest body part");
        }
        var view = Text(dataset, DicomTags.ViewPosition).ToUpperInvariant();
        if (view.Length > 0 && !FrontalViews.Contains(view))
        {
            return ViewDecision.Skip(SkipReason.NotFrontal, $"View Position is {view}");
        }
        if (view.Length == 0 && LateralText(dataset) is { } words)
        {
            return ViewDecision.Skip(SkipReason.NotFrontal, $"no View Position, and the description says '{words}'");
        }
        var samples = dataset.Contains(DicomTags.SamplesPerPixel) ? dataset.GetInt32(DicomTags.SamplesPerPixel) : 1;
        var photometric = Text(dataset, DicomTags.PhotometricInterpretation).ToUpperInvariant();
        if (samples != 1 || photometric is not ("MONOCHROME1" or "MONOCHROME2"))
        {
            return ViewDecision.Skip(SkipReason.NotGrayscale, $"Photometric Interpretation {photometric} with {samples} samples is not grey");
        }
        var rows = dataset.Contains(DicomTags.Rows) ? dataset.GetInt32(DicomTags.Rows) : 0;
        var columns = dataset.Contains(DicomTags.Columns) ? dataset.GetInt32(DicomTags.Columns) : 0;
        if (Math.Min(rows, columns) < ImageViewHeuristic.MinimumSide)
        {
            return ViewDecision.Skip(SkipReason.TooSmall, $"{columns}x{rows} is smaller than {ImageViewHeuristic.MinimumSide} pixels a side");
        }

        var silent = bodyPart.Length == 0 || view.Length == 0;
        var said = $"{modality} {(bodyPart.Length > 0 ? bodyPart : "body part not stated")} {(view.Length > 0 ? view : "view not stated")}";
        return ViewDecision.Accept(said) with { NeedsImageCheck = silent };
    }

    /// <summary>The full verdict: the header's, and the image's where the header is silent.</summary>
    public static ViewDecision Decide(DicomDataset dataset, Func<GrayImage> render)
    {
        ArgumentNullException.ThrowIfNull(render);
        var header = FromHeader(dataset);
        if (!header.Accepted || !header.NeedsImageCheck)
        {
            return header;
        }
        var image = ImageViewHeuristic.Evaluate(render());
        return image.Accepted ? ViewDecision.Accept($"{header.Message}; image: {image.Message}") : image;
    }

    private static string? LateralText(DicomDataset dataset)
    {
        // Only the series: a study or protocol named "CHEST PA + LAT" holds frontal images too.
        var text = Text(dataset, DicomTags.SeriesDescription).ToUpperInvariant();
        var words = text.Split([' ', '_', '-', '/', ',', '.', '(', ')', '+'], StringSplitOptions.RemoveEmptyEntries);
        return words.Any(w => LateralWords.Contains(w)) && !words.Any(w => FrontalViews.Contains(w)) ? text : null;
    }

    private static string Text(DicomDataset dataset, DicomTag tag) =>
        dataset.Contains(tag) ? (dataset.GetString(tag) ?? "").Trim() : "";

    private static string Name(string uid) => uid.Length == 0 ? "(none)" : uid;
}
