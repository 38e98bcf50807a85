using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Opinion;
using CxrPacsAgent.Retrieval.Storage;
using CxrPacsAgent.Retrieval.Tests.TestSupport;

namespace CxrPacsAgent.Retrieval.Tests.Opinion;

public sealed class KnnOpinionTests
{
    [Fact]
    public void The_majority_label_wins_and_the_mean_score_is_over_all_neighbours()
    {
        var opinion = KnnOpinion.From([Neighbour(0.9f, "PNEUMONIA", 0.8f), Neighbour(0.8f, "NORMAL", 0.2f),
            Neighbour(0.7f, "PNEUMONIA", 0.7f), Neighbour(0.6f, "PNEUMONIA", 0.9f)], 4);
        Assert.Equal(("PNEUMONIA", 3, 4, false), (opinion.Label, opinion.Votes, opinion.Labelled, opinion.TieBrokenByNearest));
        Assert.Equal(0.65, opinion.MeanScore!.Value, 6);
    }

    [Fact]
    public void A_reference_label_outranks_the_models_call_and_a_tie_goes_to_the_nearest()
    {
        var confirmed = new ReferenceLabel("PNEUMONIA", "RT-PCR confirmed");
        var opinion = KnnOpinion.From([Neighbour(0.9f, "NORMAL", 0.6f, confirmed), Neighbour(0.8f, "NORMAL", 0.2f),
            Neighbour(0.7f, "PNEUMONIA", 0.9f, new ReferenceLabel("NORMAL", "radiologist")), Neighbour(0.6f, "PNEUMONIA", 0.7f)], 4);
        // Votes: PNEUMONIA (reference), NORMAL (model), NORMAL (reference), PNEUMONIA (model): 2–2, nearest says PNEUMONIA.
        Assert.Equal(("PNEUMONIA", 2, true), (opinion.Label, opinion.Votes, opinion.TieBrokenByNearest));
        Assert.Equal(LabelOrigin.Reference, opinion.Neighbours[0].LabelOrigin);
        Assert.Equal(LabelOrigin.Model, opinion.Neighbours[1].LabelOrigin);
    }

    [Fact]
    public void Unlabelled_neighbours_count_for_the_score_but_not_the_vote_and_none_gives_no_opinion()
    {
        var opinion = KnnOpinion.From([Neighbour(0.9f, null, 0.4f), Neighbour(0.8f, "NORMAL", 0.2f)], 4);
        Assert.Equal(("NORMAL", 1, 1), (opinion.Label, opinion.Votes, opinion.Labelled));
        Assert.Equal(0.3, opinion.MeanScore!.Value, 6);
        Assert.Equal(LabelOrigin.None, opinion.Neighbours[0].LabelOrigin);
        var empty = KnnOpinion.From([], 4);
        Assert.Equal((null, null, 0, 0), (empty.Label, empty.MeanScore, empty.Votes, empty.Labelled));
    }

    private static int counter;

    private static SimilarStudy Neighbour(float similarity, string? modelLabel, float score, ReferenceLabel? reference = null)
    {
        var i = Interlocked.Increment(ref counter);
        var entry = Entries.Make(i, [1]);
        return new SimilarStudy(new LibraryRecord
        {
            EntryId = i,
            Model = entry.Model,
            SopInstanceUid = entry.SopInstanceUid,
            SeriesInstanceUid = entry.SeriesInstanceUid,
            StudyInstanceUid = entry.StudyInstanceUid,
            Score = score,
            ModelLabel = modelLabel,
            Reference = reference,
            AddedAt = DateTimeOffset.UnixEpoch,
        }, similarity);
    }
}
