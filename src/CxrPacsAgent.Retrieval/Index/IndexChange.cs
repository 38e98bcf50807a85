namespace CxrPacsAgent.Retrieval.Index;

/// <summary>An entry stored: its id, and the id of the entry with the same SOP Instance UID it replaced, if any.</summary>
public readonly record struct IndexChange(long EntryId, long? ReplacedEntryId)
{
    public bool Replaced => ReplacedEntryId is not null;
}
