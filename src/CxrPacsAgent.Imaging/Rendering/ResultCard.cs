namespace CxrPacsAgent.Imaging.Rendering;

/// <summary>What the Secondary Capture picture states about one result.</summary>
/// <param name="Score">Model output in [0,1].</param>
/// <param name="Label">The label the score gives at <paramref name="Threshold"/> (e.g. "COVID-19 suspected").</param>
/// <param name="Threshold">Operating point the label was decided with.</param>
/// <param name="ModelName">Model package name.</param>
/// <param name="ModelVersion">Model package version.</param>
/// <param name="SimilarCases">Most similar earlier cases, most similar first (may be empty).</param>
/// <param name="Heatmap">Optional saliency in [0,1] over the same field as the image (any resolution).</param>
public sealed record ResultCard(
    double Score,
    string Label,
    double Threshold,
    string ModelName,
    string ModelVersion,
    IReadOnlyList<SimilarCase> SimilarCases,
    GrayImage? Heatmap = null);

/// <summary>A thumbnail of an earlier case and its caption (date, score; never a patient name).</summary>
public sealed record SimilarCase(GrayImage Thumbnail, string Caption);
