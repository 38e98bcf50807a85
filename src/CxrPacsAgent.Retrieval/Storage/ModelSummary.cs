namespace CxrPacsAgent.Retrieval.Storage;

/// <summary>A model's share of the library: entries, how many carry a reference label, and the bytes of their images.</summary>
public sealed record ModelSummary(StoredModel Model, long Entries, long Labelled, long ReembeddingImageBytes, long ThumbnailBytes);
