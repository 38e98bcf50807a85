namespace CxrPacsAgent.Worker.State;

/// <summary>One document for one destination, until that destination has it.</summary>
public sealed record OutboxItem(
    long Id,
    long JobId,
    string Destination,
    OutboxDocument Document,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    string? LastError);

/// <summary>Where an outbox item stands.</summary>
public enum OutboxItemState
{
    Pending = 0,
    Delivered = 1,

    /// <summary>Refused for good or too old: the file is in the dead-letter folder with the reason.</summary>
    DeadLetter = 2,

    /// <summary>Its job was replaced by a newer copy of the instance before it was sent.</summary>
    Superseded = 3,

    /// <summary>A dead letter an administrator chose not to send; its files stay in the dead-letter folder.</summary>
    Cancelled = 4,
}
