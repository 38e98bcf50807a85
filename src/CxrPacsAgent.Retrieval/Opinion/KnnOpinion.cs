using CxrPacsAgent.Retrieval.Index;

namespace CxrPacsAgent.Retrieval.Opinion;

/// <summary>
/// The k-nearest-neighbour second opinion of the paper: the mean score of the k most similar earlier images and the
/// majority of their labels (reference label where present, else the model's call), with each neighbour's similarity.
/// A tied vote goes to the label of the nearest neighbour among the tied labels, and says so.
/// </summary>
public sealed record KnnOpinion
{
    /// <summary>Neighbours asked for.</summary>
    public required int K { get; init; }

    /// <summary>Neighbours found, most similar first (fewer than <see cref="K"/> in a small library).</summary>
    public required IReadOnlyList<SimilarStudy> Neighbours { get; init; }

    /// <summary>Mean of the neighbours' scores; null without neighbours.</summary>
    public double? MeanScore { get; init; }

    /// <summary>The majority label; null when no neighbour has a label.</summary>
    public string? Label { get; init; }

    /// <summary>Neighbours that carry <see cref="Label"/>.</summary>
    public int Votes { get; init; }

    /// <summary>Neighbours that carry any label.</summary>
    public int Labelled { get; init; }

    /// <summary>Another label had as many votes; the nearest neighbour decided.</summary>
    public bool TieBrokenByNearest { get; init; }

    public static KnnOpinion From(IReadOnlyList<SimilarStudy> neighbours, int k)
    {
        ArgumentNullException.ThrowIfNull(neighbours);
        var labelled = neighbours.Where(n => n.Label is not null).ToList();
        var tally = labelled.GroupBy(n => n.Label!, StringComparer.Ordinal)
            .Select(g => (Label: g.Key, Votes: g.Count(), Nearest: labelled.FindIndex(n => n.Label == g.Key)))
            .OrderByDescending(t => t.Votes).ThenBy(t => t.Nearest).ToList();
        return new KnnOpinion
        {
            K = k,
            Neighbours = neighbours,
            MeanScore = neighbours.Count == 0 ? null : neighbours.Average(n => (double)n.Entry.Score),
            Label = tally.Count == 0 ? null : tally[0].Label,
            Votes = tally.Count == 0 ? 0 : tally[0].Votes,
            Labelled = labelled.Count,
            TieBrokenByNearest = tally.Count > 1 && tally[1].Votes == tally[0].Votes,
        };
    }
}
