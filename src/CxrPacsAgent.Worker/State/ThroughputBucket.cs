namespace CxrPacsAgent.Worker.State;

/// <summary>What happened in one interval starting at <paramref name="Start"/>.</summary>
/// <param name="Delivered">Outbox items delivered (one per document and destination).</param>
public sealed record ThroughputBucket(DateTimeOffset Start, long Received, long Scored, long Delivered);
