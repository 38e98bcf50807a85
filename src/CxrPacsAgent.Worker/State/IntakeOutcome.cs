namespace CxrPacsAgent.Worker.State;

/// <summary>What recording a received instance did.</summary>
public enum IntakeKind
{
    /// <summary>A SOP Instance UID not seen before: a new job.</summary>
    New,

    /// <summary>The same SOP Instance with the same bytes: recognised, not processed again.</summary>
    Duplicate,

    /// <summary>The same SOP Instance UID with different bytes: a new version, processed again.</summary>
    Replaced,
}

/// <summary>The job a received instance belongs to and how it got there.</summary>
/// <param name="PreviousSpoolFile">For <see cref="IntakeKind.Replaced"/>, the spool file of the version it replaces.</param>
public sealed record IntakeOutcome(IntakeKind Kind, JobRef Job, string? PreviousSpoolFile = null);
