namespace CxrPacsAgent.Imaging.Rendering;

/// <summary>What the Secondary Capture picture states about one result. Nothing in it identifies the patient.</summary>
/// <param name="Score">Model output in [0,1].</param>
/// <param name="Label">The call at <paramref name="Threshold"/> (e.g. "PNEUMONIA"), or why there is none (e.g. "NO CALL").</param>
/// <param name="Threshold">Operating point the call was made with.</param>
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
    IReadOnlyList<CaseThumbnail> SimilarCases,
    GrayImage? Heatmap = null)
{
    /// <summary>Lines drawn under the result: limitations (e.g. outside the training distribution) and second opinions.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Whether the label is a positive call (drawn in the warning colour) rather than a negative or no call.</summary>
    public bool Positive { get; init; }
}

/// <summary>A thumbnail of an earlier case, its similarity to this one and a caption (its label; never a patient name).</summary>
public sealed record CaseThumbnail(GrayImage Thumbnail, double Similarity, string Caption);
