namespace CxrPacsAgent.Retrieval.Storage;

/// <summary>The id a stored entry got, and the id of the entry with the same SOP Instance UID it replaced, if any.</summary>
public readonly record struct UpsertResult(long EntryId, long? ReplacedEntryId);
