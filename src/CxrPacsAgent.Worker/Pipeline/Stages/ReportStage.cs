namespace CxrPacsAgent.Worker.Pipeline.Stages;

/// <summary>
/// Writes the results: the documents of every registered <see cref="IResultWriter"/> (the SR and SC, when the results
/// writer is installed), then the JSON result, which lists them. Writers are deterministic, so running this again after
/// a restart rewrites the same files.
/// </summary>
public sealed class ReportStage(IEnumerable<IResultWriter> writers, JsonResultWriter json, ResultFolders folders) : IStage
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
        documents.Add(await json.WriteAsync(item, documents, folders, cancellationToken).ConfigureAwait(false));
        item.Documents = documents;
        return StageOutcome.Continue;
    }
}
