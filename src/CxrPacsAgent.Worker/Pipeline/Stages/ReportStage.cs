namespace CxrPacsAgent.Worker.Pipeline.Stages;

/// <summary>
/// Writes the results with every registered <see cref="IResultWriter"/>: the JSON result, and the SR and SC where the
/// results writer is installed. Writers are deterministic, so running this again after a restart rewrites the same files.
/// </summary>
public sealed class ReportStage(IEnumerable<IResultWriter> writers, ResultFolders folders) : IStage
{
    private readonly IResultWriter[] writers = [.. writers];

    public string Name => "report";

    public async ValueTask<StageOutcome> RunAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var documents = new List<ResultDocument>();
        foreach (var writer in writers)
        {
            documents.AddRange(await writer.WriteAsync(item, folders, cancellationToken).ConfigureAwait(false));
        }
        item.Documents = documents;
        return StageOutcome.Continue;
    }
}
