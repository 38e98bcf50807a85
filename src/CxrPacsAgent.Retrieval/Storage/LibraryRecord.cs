namespace CxrPacsAgent.Retrieval.Storage;

/// <summary>A stored entry's description (no embedding, no re-embedding image): what a search result shows.</summary>
public sealed record LibraryRecord : LibraryMetadata
{
    public required long EntryId { get; init; }

    /// <summary>When the entry was stored (UTC).</summary>
    public required DateTimeOffset AddedAt { get; init; }

    /// <summary>The thumbnail, when it was asked for and exists.</summary>
    public EncodedImage? Thumbnail { get; init; }
}
