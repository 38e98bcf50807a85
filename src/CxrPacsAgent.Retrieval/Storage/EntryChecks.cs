namespace CxrPacsAgent.Retrieval.Storage;

/// <summary>What every store checks of an entry before storing it: complete, of the model, of its dimensions, a usable vector.</summary>
internal static class EntryChecks
{
    public static void Validate(StoredModel model, LibraryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Problem() is { } problem)
        {
            throw new RetrievalException(RetrievalError.InvalidEntry, $"entry {entry.SopInstanceUid}: {problem}");
        }
        if (entry.Model != model.Identity)
        {
            throw new RetrievalException(RetrievalError.ModelMismatch,
                $"entry {entry.SopInstanceUid} was made by {entry.Model}, not {model.Identity}: embeddings of different models never mix");
        }
        if (entry.Embedding.Length != model.Dimensions)
        {
            throw new RetrievalException(RetrievalError.DimensionMismatch,
                $"entry {entry.SopInstanceUid} has a {entry.Embedding.Length}-dimensional embedding; {model.Identity} has {model.Dimensions}");
        }
        Vectors.UnitVector.Normalize(entry.Embedding); // refuses NaN, infinity and zero vectors before they are stored
    }
}
