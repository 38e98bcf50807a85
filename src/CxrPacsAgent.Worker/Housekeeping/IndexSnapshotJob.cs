using CxrPacsAgent.Worker.Pipeline.Stages;
using Quartz;

namespace CxrPacsAgent.Worker.Housekeeping;

/// <summary>Writes the similar-study index to disk every <c>Housekeeping:IndexSnapshotInterval</c>; scheduled only when retrieval is installed.</summary>
[DisallowConcurrentExecution]
public sealed class IndexSnapshotJob(ISimilarStudyIndex index) : IJob
{
    public static readonly JobKey Key = new("index-snapshot", AgentJobGroup.Name);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await index.SnapshotAsync(cancellationToken).ConfigureAwait(false);
}
