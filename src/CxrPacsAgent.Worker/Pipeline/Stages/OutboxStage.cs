using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Outbox;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Pipeline.Stages;

/// <summary>
/// Queues each DICOM result document for each destination and records the job as reported, in one transaction; then
/// wakes the sender. Without destinations the job is complete here.
/// </summary>
public sealed class OutboxStage(IJobStore jobs, AgentPaths paths, IOptions<DestinationsOptions> destinations, OutboxSignal signal) : IStage
{
    public string Name => "outbox";

    public async ValueTask<StageOutcome> RunAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var names = destinations.Value.Items.Select(d => d.Name).ToList();
        var documents = names.Count == 0 ? [] : item.Documents.Where(d => d.IsDicom)
            .Select(d => new OutboxDocument(Path.GetRelativePath(paths.Outbox, d.Path), d.SopInstanceUid!, d.SopClassUid!))
            .ToList();
        if (!await jobs.RecordReportedAsync(item.Ref, documents, names, cancellationToken).ConfigureAwait(false))
        {
            return StageOutcome.Superseded;
        }
        if (documents.Count > 0)
        {
            signal.Wake();
        }
        return StageOutcome.Continue;
    }
}
