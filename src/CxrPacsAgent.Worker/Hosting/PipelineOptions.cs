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

    public IEnumerable<string> Validate()
    {
        return new[]
        {
            OptionChecks.Range("Pipeline:QueueCapacity", QueueCapacity, 1, 1024),
            OptionChecks.Positive("Pipeline:RetryDelay", RetryDelay),
        }.OfType<string>();
    }
}
