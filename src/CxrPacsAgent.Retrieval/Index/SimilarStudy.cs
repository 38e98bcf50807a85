using CxrPacsAgent.Retrieval.Storage;

namespace CxrPacsAgent.Retrieval.Index;

/// <summary>One neighbour of a query: the stored entry and its cosine similarity to the query (1 = same direction).</summary>
public sealed record SimilarStudy(LibraryRecord Entry, float Similarity)
{
    /// <summary>The label the vote counts: the reference label where the site gave one, else the model's own call.</summary>
    public string? Label => Entry.Reference?.Label ?? Entry.ModelLabel;

    public LabelOrigin LabelOrigin =>
        Entry.Reference is not null ? LabelOrigin.Reference : Entry.ModelLabel is not null ? LabelOrigin.Model : LabelOrigin.None;
}

/// <summary>Where a neighbour's label comes from.</summary>
public enum LabelOrigin
{
    /// <summary>No label: the model made no call and the site gave none.</summary>
    None,
    /// <summary>The model's own call when the entry was stored.</summary>
    Model,
    /// <summary>A reference label the site imported, with its source (e.g. "RT-PCR confirmed").</summary>
    Reference,
}
