using CxrPacsAgent.Imaging;

namespace CxrPacsAgent.Worker.Results;

/// <summary>
/// An earlier case the retrieval found similar to this one: where it is in the PACS, how similar, what it was labelled
/// and by whom, and a thumbnail for the picture. Retrieval builds these; the lead maps its own type onto this one.
/// </summary>
/// <param name="StudyInstanceUid">The earlier study.</param>
/// <param name="SeriesInstanceUid">Its series.</param>
/// <param name="SopInstanceUid">The earlier image.</param>
/// <param name="SopClassUid">Its SOP class (DX, CR, …); null when the case is not in the PACS (a library picture): no reference then.</param>
/// <param name="Similarity">Cosine similarity of the model's embeddings, in [-1,1].</param>
/// <param name="Label">Its label, e.g. the package's positive or negative label ("PNEUMONIA", "NORMAL").</param>
/// <param name="LabelSource">Where the label comes from, e.g. "radiologist report" or a data set's name.</param>
/// <param name="Thumbnail">Its picture for the Secondary Capture (displayed brightness in [0,1]); null draws none.</param>
public sealed record SimilarCase(string StudyInstanceUid, string SeriesInstanceUid, string SopInstanceUid, string? SopClassUid,
    double Similarity, string Label, string LabelSource, GrayImage? Thumbnail = null);
