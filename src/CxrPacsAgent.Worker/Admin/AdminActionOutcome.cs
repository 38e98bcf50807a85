namespace CxrPacsAgent.Worker.Admin;

/// <summary>What came of a retry or cancel asked of one dead letter or failed job; written to the audit log as <see cref="AdminActions.Text"/> gives it.</summary>
public enum AdminActionOutcome
{
    Done,

    /// <summary>No outbox item has that id.</summary>
    NotFound,

    /// <summary>The item is pending, delivered or cancelled already (another administrator, or a second click).</summary>
    NotADeadLetter,

    /// <summary>A newer copy of the instance replaced the job; its own results take the old one's place.</summary>
    Superseded,

    /// <summary>The document is in neither the outbox nor the dead-letter folder, so there is nothing to send.</summary>
    FileMissing,

    /// <summary>The job is not a processing failure on the list (processed, retried or cancelled already, or never failed).</summary>
    NotAFailedJob,

    /// <summary>The clean-up has removed the job's spool copy (<c>Housekeeping:KeepFailedFor</c>), so there is nothing to process.</summary>
    SpoolCopyMissing,
}
