using CxrPacsAgent.Worker.State;

namespace CxrPacsAgent.Worker.Pipeline.Stages;

/// <summary>
/// Similar studies by embedding, and this study added to the index; recorded, so a restart does not search again.
/// Present only when an <see cref="ISimilarStudyIndex"/> is registered.
/// </summary>
public sealed class RetrieveStage(ISimilarStudyIndex index, IJobStore jobs) : IStage
{
    public string Name => "retrieve";

    public async ValueTask<StageOutcome> RunAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.SimilarStudies is not null)
        {
            return StageOutcome.Continue;
        }
        var found = await index.SearchAndAddAsync(item, cancellationToken).ConfigureAwait(false);
        if (!await jobs.RecordIndexedAsync(item.Ref, found, cancellationToken).ConfigureAwait(false))
        {
            return StageOutcome.Superseded;
        }
        item.SimilarStudies = found;
        return StageOutcome.Continue;
    }
}
