using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Hosting;

/// <summary>
/// The folders under <c>Storage:Root</c>: the spool (received instances), the state database, the outbox (result
/// documents waiting to be sent), the dead letters, and the results folder (unless <c>Results:Folder</c> puts it elsewhere).
/// </summary>
public sealed class AgentPaths
{
    public AgentPaths(IOptions<StorageOptions> storage, IOptions<ResultsOptions> results)
        : this(storage?.Value.Root ?? throw new ArgumentNullException(nameof(storage)), results?.Value.Folder)
    {
    }

    public AgentPaths(string root, string? resultsFolder = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        Root = Path.GetFullPath(root);
        Results = string.IsNullOrWhiteSpace(resultsFolder) ? Path.Combine(Root, "results") : Path.GetFullPath(resultsFolder);
    }

    public string Root { get; }

    /// <summary>Received instances, committed before success is answered; incoming ones are in its <c>tmp</c> folder.</summary>
    public string Spool => Path.Combine(Root, "spool");

    public string StateFolder => Path.Combine(Root, "state");

    public string Database => Path.Combine(StateFolder, "agent.db");

    public string Outbox => Path.Combine(Root, "outbox");

    /// <summary>Documents a destination refused for good or that grew too old, each with a file giving the reason.</summary>
    public string DeadLetters => Path.Combine(Root, "dead-letter");

    public string Results { get; }

    public void CreateFolders()
    {
        foreach (var folder in new[] { Root, Spool, StateFolder, Outbox, DeadLetters, Results })
        {
            Directory.CreateDirectory(folder);
        }
    }
}
