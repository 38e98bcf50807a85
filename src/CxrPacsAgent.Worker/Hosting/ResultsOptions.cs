namespace CxrPacsAgent.Worker.Hosting;

/// <summary>Where result files are written (section <c>Results</c>).</summary>
public sealed class ResultsOptions : IValidatedOptions
{
    public const string Section = "Results";

    /// <summary>
    /// The results folder: JSON results, and the SR and SC documents when no destination is configured. Empty means
    /// <c>{Storage:Root}/results</c>.
    /// </summary>
    public string Folder { get; set; } = "";

    public IEnumerable<string> Validate() => [];
}
