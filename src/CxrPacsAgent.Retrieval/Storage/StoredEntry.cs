namespace CxrPacsAgent.Retrieval.Storage;

/// <summary>An entry as stored, in full: what re-embedding under a new model starts from.</summary>
public sealed record StoredEntry(LibraryRecord Record, float[] Embedding, EncodedImage? ReembeddingImage, EncodedImage? Thumbnail);
