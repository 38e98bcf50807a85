namespace CxrPacsAgent.Retrieval.Storage;

/// <summary>
/// One page of a model's changes after a watermark, read in one transaction: entries added (oldest first, at most the
/// page size) and every entry removed since. <see cref="More"/>: another page of entries follows.
/// </summary>
public sealed record ChangeBatch(IReadOnlyList<AddedVector> Added, IReadOnlyList<long> RemovedEntryIds, Watermark Next, bool More);
