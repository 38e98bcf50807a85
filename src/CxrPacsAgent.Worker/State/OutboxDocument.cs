namespace CxrPacsAgent.Worker.State;

/// <summary>A result document waiting in the outbox folder to be sent.</summary>
/// <param name="File">File name inside the outbox folder.</param>
public sealed record OutboxDocument(string File, string SopInstanceUid, string SopClassUid);
