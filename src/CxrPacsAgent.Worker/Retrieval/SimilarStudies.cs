using System.Text.Json;
using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Opinion;

namespace CxrPacsAgent.Worker.Retrieval;

/// <summary>
/// What the retrieve stage found for one image: the k most similar earlier images and the k-NN vote. Kept as JSON in the
/// job's state row (so a restart does not search again), written into the JSON result as <c>similarStudies</c>, and
/// mapped onto the SR and SC by the DICOM result writer. Thumbnails stay in the library and are read by entry id.
/// </summary>
public sealed record SimilarStudies(string Model, string ModelVersion, int K, IReadOnlyList<SimilarStudyEntry> Neighbours,
    SimilarStudiesVote Vote)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Why the library could not be searched (the result went out without similar cases); null when it was.</summary>
    public string? Problem { get; init; }

    public static SimilarStudies From(KnnOpinion opinion, string modelLabelSource)
    {
        ArgumentNullException.ThrowIfNull(opinion);
        var model = opinion.Neighbours.Count == 0 ? null : opinion.Neighbours[0].Entry.Model;
        return new SimilarStudies(model?.Name ?? "", model?.Version ?? "", opinion.K,
            [.. opinion.Neighbours.Select(n => SimilarStudyEntry.From(n, modelLabelSource))],
            new SimilarStudiesVote(opinion.Label, opinion.Votes, opinion.Labelled, opinion.MeanScore, opinion.TieBrokenByNearest));
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <exception cref="JsonException">Not a similar-studies document.</exception>
    public static SimilarStudies Parse(string json) =>
        JsonSerializer.Deserialize<SimilarStudies>(json, Json) ?? throw new JsonException("the similar-studies document is empty");
}

/// <summary>One neighbour: where it is in the PACS, how similar, its score, and its label with where that comes from.</summary>
public sealed record SimilarStudyEntry(long EntryId, string StudyInstanceUid, string SeriesInstanceUid, string SopInstanceUid,
    string? SopClassUid, string? AccessionNumber, DateTime? AcquiredAt, double Similarity, double Score, string? Label, string LabelSource)
{
    public static SimilarStudyEntry From(SimilarStudy neighbour, string modelLabelSource)
    {
        ArgumentNullException.ThrowIfNull(neighbour);
        var e = neighbour.Entry;
        var source = neighbour.LabelOrigin switch
        {
            LabelOrigin.Reference => e.Reference!.Source,
            LabelOrigin.Model => modelLabelSource,
            _ => "no label: the model made no call (out of distribution)",
        };
        return new SimilarStudyEntry(e.EntryId, e.StudyInstanceUid, e.SeriesInstanceUid, e.SopInstanceUid, e.SopClassUid, e.AccessionNumber,
            e.AcquiredAt, Math.Round(neighbour.Similarity, 4), Math.Round(e.Score, 4), neighbour.Label, source);
    }
}

/// <summary>The neighbours' vote: the majority label (a tie goes to the nearest), its votes of those labelled, their mean score.</summary>
public sealed record SimilarStudiesVote(string? Label, int Votes, int Labelled, double? MeanScore, bool TieBrokenByNearest);
