using System.Globalization;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Reports;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Rendering;

namespace CxrPacsAgent.Worker.Results;

/// <summary>A result as the Secondary Capture picture: what it states (the card), its pixels and its provenance.</summary>
internal static class PictureContent
{
    public static ResultCard Card(CxrResult r, HeatmapOptions heatmap)
    {
        var label = r.Call switch
        {
            true => r.Model.PositiveLabel,
            false => r.Model.NegativeLabel,
            null => "NO CALL",
        };
        List<string> notes = [];
        if (r.OutOfDistribution is { Flagged: true } ood)
        {
            notes.Add(ReportContent.OutOfDistributionText(ood, r.Call is null));
        }
        notes.AddRange(r.QualityFlags.Select(f => f.Text));
        if (r.CalibratedProbability is { } p)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Calibrated probability {p:0.00}"));
        }
        if (r.Knn is { } knn)
        {
            notes.Add($"k-NN second opinion: {knn.WithFinding} of {knn.Neighbours} similar cases {r.Model.PositiveLabel}");
        }
        var heat = heatmap.Enabled ? r.Heatmap : null;
        if (heat is not null && heat.Pixels.All(v => v <= 0))
        {
            // A map with nothing in it would read as "nowhere"; say what it means instead.
            notes.Add("Heatmap: covering any one region barely changes the score");
            heat = null;
        }
        notes.Add("Research use only; " + r.Model.Task);
        return new ResultCard(r.Score, label, r.Threshold, r.Model.Name, r.Model.Version,
            [.. r.SimilarCases.Where(c => c.Thumbnail is not null).Select(c => new CaseThumbnail(c.Thumbnail!, c.Similarity, c.Label))],
            heat)
        {
            Notes = notes,
            Positive = r.Call == true,
        };
    }

    public static DicomDataset Build(CxrResult r, ResultOptions options, ResultUids uids, Equipment agent,
        IReadOnlyList<ContributingEquipment> contributions, DateTimeOffset when)
    {
        var card = Card(r, options.Heatmap);
        var picture = SecondaryCaptureRenderer.Render(r.DisplayImage, r.LungMap, card, options.PictureHeight);
        var text = new SourceText(r.Source.CharacterSet);
        var header = new SecondaryCaptureHeader
        {
            SopInstanceUid = uids.Picture,
            SeriesInstanceUid = uids.PictureSeries,
            SeriesNumber = options.PictureSeriesNumber,
            SeriesDescription = SeriesDescription("AI result picture", r.Model, text),
            BodyPartExamined = "CHEST",
            ContentDateTime = when,
            Equipment = agent,
            ContributingEquipment = contributions,
            DerivationDescription = text.Fit(Derivation(r, card)),
            DerivationCodes = r.LungMap is null ? [SpatialResampling] : [SpatialResampling, Segmentation],
            SourceImages = [SopReference.Of(r.Source)],
            BurnedInAnnotation = BurnedIn(r.Source, card),
        };
        return SecondaryCapture.Build(r.Source, header, picture.Width, picture.Height, picture.Pixels);
    }

    /// <summary>
    /// The drawn text never identifies the patient, but the film is the source's own pixels and thumbnails are other
    /// studies' films: NO only when the source declares none and no thumbnail is drawn.
    /// </summary>
    public static bool BurnedIn(DicomDataset source, ResultCard card) =>
        source.GetString(DicomTags.BurnedInAnnotation)?.Trim() != "NO" || card.SimilarCases.Count > 0;

    /// <summary>
    /// Series Description (LO, 64 characters): a longer one is cut and ends with an ellipsis the source's character set
    /// can hold ("…", else "..."), as a long package name or a site's version (1.2.0-site.1) makes it.
    /// </summary>
    public static string SeriesDescription(string what, ModelIdentity model, SourceText text)
    {
        var description = text.Fit($"{what} (research): {model.Name} {model.Version}");
        if (description.Length <= 64)
        {
            return description;
        }
        var ellipsis = text.Fit("…") == "…" ? "…" : "...";
        return description[..(64 - ellipsis.Length)] + ellipsis;
    }

    private static string Derivation(CxrResult r, ResultCard card)
    {
        List<string> parts = ["source image at display brightness, borders cropped"];
        if (r.LungMap is not null)
        {
            parts.Add("automatic lung outline");
        }
        if (card.Heatmap is not null)
        {
            parts.Add("occlusion-sensitivity map of the score");
        }
        parts.Add("model score, call and threshold");
        if (card.SimilarCases.Count > 0)
        {
            parts.Add($"{card.SimilarCases.Count} similar earlier cases");
        }
        return $"AI result picture drawn by cxr-agent: {string.Join("; ", parts)}. Not for diagnostic use.";
    }

    private static readonly CodedConcept SpatialResampling = new("113085", "DCM", "Spatial resampling");
    private static readonly CodedConcept Segmentation = new("113076", "DCM", "Segmentation");
}
