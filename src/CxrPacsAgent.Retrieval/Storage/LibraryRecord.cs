namespace CxrPacsAgent.Retrieval.Storage;

/// <summary>A stored entry's description (no embedding, no re-embedding image): what a search result shows.</summary>
public sealed record LibraryRecord
{
    public required long EntryId { get; init; }

    public required ModelIdentity Model { get; init; }

    public required string SopInstanceUid { get; init; }

    /// <summary>The image's SOP Class UID in the PACS; null for an entry made from a picture file (not in the PACS).</summary>
    public string? SopClassUid { get; init; }

    public required string SeriesInstanceUid { get; init; }

    public required string StudyInstanceUid { get; init; }

    public string? AccessionNumber { get; init; }

    public string? PatientKey { get; init; }

    public DateTime? AcquiredAt { get; init; }

    public string? ViewPosition { get; init; }

    public required float Score { get; init; }

    public string? ModelLabel { get; init; }

    public ReferenceLabel? Reference { get; init; }

    /// <summary>When the entry was stored (UTC).</summary>
    public required DateTimeOffset AddedAt { get; init; }

    /// <summary>The thumbnail, when it was asked for and exists.</summary>
    public EncodedImage? Thumbnail { get; init; }
}
