namespace CxrPacsAgent.Worker.State;

/// <summary>What the store holds right now: jobs by state, and the outbox.</summary>
public sealed record StateCounts(IReadOnlyDictionary<JobState, long> Jobs, long OutboxPending, long DeadLetters)
{
    public long Count(JobState state) => Jobs.TryGetValue(state, out var n) ? n : 0;
}
