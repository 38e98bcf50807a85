namespace CxrPacsAgent.Worker.State;

/// <summary>An outbox item with where it stands: what the admin page lists and acts on.</summary>
/// <param name="SettledAt">When it was delivered, given up, superseded or cancelled; null while pending.</param>
/// <param name="JobVersion">The version of its job the document was made for.</param>
public sealed record DeliveryRecord(OutboxItem Item, OutboxItemState State, DateTimeOffset? SettledAt, int JobVersion);
