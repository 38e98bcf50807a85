using System.Collections.Concurrent;
using System.Threading.Channels;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Intake;
using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Pipeline;

/// <summary>
/// Runs the <see cref="Pipeline"/>: at start it queues every job the state store says is unfinished (what a crash or a
/// stop interrupted), then feeds jobs from the <see cref="JobQueue"/> into the first stage, one bounded channel per
/// stage. Intake only appends to the queue, so it keeps accepting at network speed while the stages are behind. At stop
/// it drains (<see cref="PipelineDrain"/>): nothing new enters, what is in the stages is finished and delivered.
/// </summary>
public sealed partial class PipelineService(Pipeline pipeline, JobQueue queue, IJobStore jobs, Spool spool, IOptions<PipelineOptions> options,
    ComputeScheduler compute, AgentMetrics metrics, PipelineDrain drain, ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger logger = loggers.CreateLogger<PipelineService>();
    private readonly List<Channel<WorkItem>> channels = [];

    // Items fed into the first stage and not yet out of the pipeline, by job id.
    private readonly ConcurrentDictionary<long, WorkItem> inPipeline = new();

    // Cancelled when the drain begins: the feeder stops, and the stages finish what they hold.
    private readonly CancellationTokenSource feeding = new();

    /// <summary>Items waiting in front of each stage, by stage name, and in the spool (not yet in the pipeline).</summary>
    public IReadOnlyDictionary<string, int> QueueDepths()
    {
        var depths = new Dictionary<string, int>(StringComparer.Ordinal) { ["spool"] = queue.Count };
        for (var i = 0; i < channels.Count; i++)
        {
            depths[pipeline.Stages[i].Name] = channels[i].Reader.Count;
        }
        return depths;
    }

    /// <summary>Queues what was in progress when the agent last stopped; runs before the listener opens.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var unfinished = await jobs.UnfinishedAsync(cancellationToken).ConfigureAwait(false);
        foreach (var job in unfinished)
        {
            queue.Enqueue(job.Ref);
        }
        if (unfinished.Count > 0)
        {
            LogResuming(unfinished.Count);
        }
        foreach (var _ in pipeline.Stages)
        {
            channels.Add(Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.Value.QueueCapacity)
            {
                FullMode = BoundedChannelFullMode.Wait,
            }));
        }
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runners = pipeline.Stages.Select((stage, i) => new StageRunner(stage, channels[i].Reader,
            i + 1 < channels.Count ? channels[i + 1].Writer : null, jobs, queue, options.Value.RetryDelay, compute, metrics,
            loggers.CreateLogger($"CxrPacsAgent.Worker.Pipeline.Stages.{stage.GetType().Name}"))
        {
            Left = item => inPipeline.TryRemove(item.Ref.Id, out _),
        });
        return Task.WhenAll([FeedAsync(stoppingToken), .. runners.Select(r => r.RunAsync(stoppingToken))]);
    }

    /// <summary>
    /// Stops in two steps: the drain (no new work; the stages finish what they hold and its results are delivered,
    /// within <c>Pipeline:DrainTimeout</c>), then the stop proper, which abandons whatever is still in hand (it
    /// resumes from its recorded state at the next start, or on another agent once the leases are released).
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await feeding.CancelAsync().ConfigureAwait(false);
        if (ExecuteTask is { } running)
        {
            // The stages end one after the other as their inputs run dry: the pipeline is empty when all have ended.
            await drain.RunAsync(running, () => inPipeline.Count, cancellationToken).ConfigureAwait(false);
        }
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        feeding.Dispose();
        base.Dispose();
    }

    /// <summary>Loads each queued job and puts it into the first stage's channel, waiting while that channel is full.</summary>
    private async Task FeedAsync(CancellationToken stoppingToken)
    {
        using var feed = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, feeding.Token);
        try
        {
            await foreach (var next in queue.Reader.ReadAllAsync(feed.Token).ConfigureAwait(false))
            {
                JobRecord? job;
                try
                {
                    job = await jobs.GetAsync(next.Id, stoppingToken).ConfigureAwait(false);
                }
                catch (System.Data.Common.DbException e)
                {
                    LogStoreUnavailable(next.Id, e.Message);
                    queue.EnqueueLater(next, options.Value.RetryDelay);
                    continue;
                }
                // A newer copy of the instance has its own place in the queue; a finished job needs nothing.
                if (job is null || job.Ref != next || !job.State.NeedsPipeline())
                {
                    continue;
                }
                await EnterAsync(new WorkItem(job, spool.PathOf(job.SpoolFile)), feed.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (feed.IsCancellationRequested)
        {
            // Draining or stopping.
        }
        finally
        {
            channels[0].Writer.TryComplete();
        }
    }

    /// <summary>Counted in before it is written, since the first stage may finish it at once; out again if never written.</summary>
    private async Task EnterAsync(WorkItem item, CancellationToken cancellationToken)
    {
        inPipeline[item.Ref.Id] = item;
        try
        {
            await channels[0].Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            inPipeline.TryRemove(item.Ref.Id, out _);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming {Count} unfinished jobs")]
    private partial void LogResuming(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} could not be loaded, trying later: {Error}")]
    private partial void LogStoreUnavailable(long jobId, string error);
}
