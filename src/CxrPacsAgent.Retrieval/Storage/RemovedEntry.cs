namespace CxrPacsAgent.Retrieval.Storage;

/// <summary>An entry taken out of the library, and the model it belonged to.</summary>
public sealed record RemovedEntry(long EntryId, ModelIdentity Model);
