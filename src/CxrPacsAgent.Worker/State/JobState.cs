namespace CxrPacsAgent.Worker.State;

/// <summary>
/// Where a received instance stands. Each value is recorded durably when reached, so the pipeline resumes from it after
/// a crash; the values at or above <see cref="Completed"/> are final.
/// </summary>
public enum JobState
{
    /// <summary>In the spool, waiting for the pipeline.</summary>
    Received = 0,

    /// <summary>Scored by the model; the score and embedding are recorded.</summary>
    Scored = 1,

    /// <summary>Added to the similar-study index; the similar studies found are recorded.</summary>
    Indexed = 2,

    /// <summary>Result documents written; waiting in the outbox for delivery.</summary>
    Reported = 3,

    /// <summary>Results written and delivered to every destination (or no destination is configured).</summary>
    Completed = 10,

    /// <summary>Not processed, with the reason (not a frontal chest radiograph, undecodable syntax, …).</summary>
    Skipped = 11,

    /// <summary>Processing failed for good (damaged pixel data, …), with the reason.</summary>
    Failed = 12,

    /// <summary>Results written, but at least one destination refused them or they grew too old: see the dead letters.</summary>
    Undelivered = 13,
}

/// <summary>Helpers over <see cref="JobState"/>.</summary>
public static class JobStates
{
    public static bool IsFinal(this JobState state) => state >= JobState.Completed;

    /// <summary>States the pipeline still has work for.</summary>
    public static bool NeedsPipeline(this JobState state) => state < JobState.Reported;
}
