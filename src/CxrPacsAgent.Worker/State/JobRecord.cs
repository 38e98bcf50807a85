namespace CxrPacsAgent.Worker.State;

/// <summary>A job as recorded: the instance, where it stands, and what the stages recorded for it.</summary>
public sealed record JobRecord(
    JobRef Ref,
    string SopInstanceUid,
    string SopClassUid,
    string TransferSyntaxUid,
    string SpoolFile,
    JobState State,
    DateTimeOffset ReceivedAt,
    DateTimeOffset UpdatedAt,
    int TimesReceived)
{
    /// <summary>Why it was skipped or failed (an enum name such as <c>NotFrontal</c>).</summary>
    public string? Reason { get; init; }

    /// <summary>One line explaining <see cref="Reason"/>; never patient data.</summary>
    public string? Detail { get; init; }

    public ScoreRecord? Score { get; init; }

    /// <summary>When the current version was scored; null before.</summary>
    public DateTimeOffset? ScoredAt { get; init; }

    /// <summary>When the current version's result documents were written (and queued); null before.</summary>
    public DateTimeOffset? ReportedAt { get; init; }

    /// <summary>The similar studies the index found, as the retrieval stage recorded them (JSON).</summary>
    public string? SimilarStudies { get; init; }

    /// <summary>The current version's accession number as intake recorded it: a keyed hash, never the number.</summary>
    public string? AccessionKey { get; init; }
}
