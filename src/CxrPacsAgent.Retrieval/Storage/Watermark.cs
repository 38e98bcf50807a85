namespace CxrPacsAgent.Retrieval.Storage;

/// <summary>
/// How far an index has read a model's rows: the highest entry id and the highest removal id applied. Ids only grow
/// (a replaced entry gets a new id and leaves a removal), so "everything after the watermark" is all an index lacks.
/// </summary>
public readonly record struct Watermark(long Entries, long Removals)
{
    public static Watermark Start => default;
}
