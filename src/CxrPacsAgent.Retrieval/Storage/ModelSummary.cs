namespace CxrPacsAgent.Retrieval.Storage;

/// <summary>
/// A model's share of the library: entries, how many carry a reference label, and the bytes of their images (stored
/// once per SOP Instance UID and shared by every model's entry of that image, so each model counts them).
/// </summary>
public sealed record ModelSummary(StoredModel Model, long Entries, long Labelled, long ReembeddingImageBytes, long ThumbnailBytes);
