namespace CxrPacsAgent.Worker.Hosting;

/// <summary>The processing pipeline (section <c>Pipeline</c>).</summary>
public sealed class PipelineOptions : IValidatedOptions
{
    public const string Section = "Pipeline";

    /// <summary>Score sources stored with lossy compression (the result says so); false skips them with that reason.</summary>
    public bool ProcessLossySources { get; set; } = true;

    /// <summary>Instances waiting between two stages; intake never waits on it (received instances wait in the spool).</summary>
    public int QueueCapacity { get; set; } = 4;

    /// <summary>Wait before a stage that failed for a passing reason (disk full, say) tries the instance again.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// At stop (SIGTERM, service stop): how long the agent may take to finish the studies already in the pipeline and
    /// deliver their results. It takes no new work meanwhile; what is unfinished then resumes at the next start, or is
    /// released to the other agents at once when several share the state. Zero stops at once.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest drain allowed: it must end well inside the service manager's stop timeout.</summary>
    public static readonly TimeSpan MaxDrainTimeout = TimeSpan.FromMinutes(10);

    public IEnumerable<string> Validate()
    {
        return new[]
        {
            OptionChecks.Range("Pipeline:QueueCapacity", QueueCapacity, 1, 1024),
            OptionChecks.Positive("Pipeline:RetryDelay", RetryDelay),
            OptionChecks.NotNegative("Pipeline:DrainTimeout", DrainTimeout),
            DrainTimeout <= MaxDrainTimeout ? null : $"Pipeline:DrainTimeout: {DrainTimeout} is longer than {MaxDrainTimeout}",
        }.OfType<string>();
    }
}
