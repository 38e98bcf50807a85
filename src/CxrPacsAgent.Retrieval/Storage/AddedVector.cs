namespace CxrPacsAgent.Retrieval.Storage;

/// <summary>What an index needs of an entry row: its id, what search filters on, and the embedding as stored.</summary>
public sealed record AddedVector(long EntryId, string StudyInstanceUid, string? PatientKey, float[] Embedding);
