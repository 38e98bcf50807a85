using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Logging;

namespace CxrPacsAgent.Worker.Pipeline;

/// <summary>
/// Runs one stage: takes items from its bounded input channel, runs the stage on <see cref="IStage.Concurrency"/>
/// items at once, records skips and failures, puts passing failures back in the <see cref="JobQueue"/> for later, and
/// hands the rest to the next channel (waiting while it is full, which holds back the stages before it). When its
/// input is completed and empty (a drain), it completes its output, so the stages after it drain in turn.
/// </summary>
public sealed partial class StageRunner(IStage stage, ChannelReader<WorkItem> input, ChannelWriter<WorkItem>? output,
    IJobStore jobs, JobQueue queue, TimeSpan retryDelay, ComputeScheduler compute, AgentMetrics metrics, ILogger logger)
{
    public IStage Stage => stage;

    /// <summary>Told of each item that leaves the pipeline here: finished, skipped, failed or put off for later.</summary>
    public Action<WorkItem>? Left { get; init; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Max(1, stage.Concurrency))
                .Select(_ => Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None))).ConfigureAwait(false);
        }
        finally
        {
            output?.TryComplete();
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var outcome = await RunStageAsync(item, cancellationToken).ConfigureAwait(false);
                await SettleAsync(item, outcome, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the item in hand resumes from its recorded state at the next start.
        }
    }

    private async Task<StageOutcome> RunStageAsync(WorkItem item, CancellationToken cancellationToken)
    {
        // Timed from when a compute thread takes it up: waiting for one is queueing, not the stage's time.
        var started = 0L;
        try
        {
            // The stage's own work runs on the low-priority compute threads; only its awaits (records) leave them.
            return await (await compute.RunAsync(() =>
            {
                started = Stopwatch.GetTimestamp();
                return stage.RunAsync(item, cancellationToken).AsTask();
            }, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is (IOException and not FileNotFoundException and not DirectoryNotFoundException)
            or UnauthorizedAccessException or DbException)
        {
            return StageOutcome.RetryLater($"{e.GetType().Name}: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug or an input nobody foresaw costs this instance only, with the reason recorded.
            return StageOutcome.Fail(e.GetType().Name, e.Message);
        }
        finally
        {
            if (started != 0)
            {
                metrics.StageSeconds.WithLabels(stage.Name).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }
    }

    private async Task SettleAsync(WorkItem item, StageOutcome outcome, CancellationToken cancellationToken)
    {
        var uid = LogValues.Uid(item.Job.SopInstanceUid);
        var handedOn = false;
        try
        {
            switch (outcome.Verdict)
            {
                case StageVerdict.Continue when output is not null:
                    await output.WriteAsync(item, cancellationToken).ConfigureAwait(false);
                    handedOn = true;
                    return;
                case StageVerdict.Continue:
                    metrics.Processed.Inc();
                    metrics.ProcessingSeconds.Observe((DateTimeOffset.UtcNow - item.Job.ReceivedAt).TotalSeconds);
                    LogProcessed(uid, item.Ref.Id, Stopwatch.GetElapsedTime(item.Started).TotalMilliseconds);
                    return;
                case StageVerdict.Skip:
                    if (await jobs.RecordSkippedAsync(item.Ref, outcome.Reason!, outcome.Detail ?? "", cancellationToken).ConfigureAwait(false))
                    {
                        metrics.Skipped.WithLabels(outcome.Reason!).Inc();
                        LogSkipped(uid, item.Ref.Id, stage.Name, outcome.Reason!, outcome.Detail);
                    }
                    return;
                case StageVerdict.Fail:
                    if (await jobs.RecordFailedAsync(item.Ref, outcome.Reason!, outcome.Detail ?? "", cancellationToken).ConfigureAwait(false))
                    {
                        metrics.Failed.WithLabels(stage.Name, outcome.Reason!).Inc();
                        LogFailed(uid, item.Ref.Id, stage.Name, outcome.Reason!, outcome.Detail);
                    }
                    return;
                case StageVerdict.RetryLater:
                    Retry(item, uid, outcome.Detail);
                    return;
                default:
                    LogSuperseded(uid, item.Ref.Id, stage.Name);
                    return;
            }
        }
        catch (Exception e) when (e is IOException or DbException)
        {
            // The record itself could not be made (database busy or disk full): the item comes round again.
            Retry(item, uid, e.Message);
        }
        finally
        {
            if (!handedOn && !cancellationToken.IsCancellationRequested)
            {
                Left?.Invoke(item);
            }
        }
    }

    private void Retry(WorkItem item, string uid, string? detail)
    {
        metrics.StageRetries.WithLabels(stage.Name).Inc();
        LogRetry(uid, item.Ref.Id, stage.Name, retryDelay.TotalSeconds, detail);
        queue.EnqueueLater(item.Ref, retryDelay);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Processed {SopInstanceUid} (job {JobId}) in {Milliseconds:0} ms")]
    private partial void LogProcessed(string sopInstanceUid, long jobId, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped {SopInstanceUid} (job {JobId}) at {Stage}: {Reason} ({Detail})")]
    private partial void LogSkipped(string sopInstanceUid, long jobId, string stage, string reason, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed {SopInstanceUid} (job {JobId}) at {Stage}: {Reason} ({Detail})")]
    private partial void LogFailed(string sopInstanceUid, long jobId, string stage, string reason, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Stage} put off {SopInstanceUid} (job {JobId}) for {Seconds} s: {Detail}")]
    private partial void LogRetry(string sopInstanceUid, long jobId, string stage, double seconds, string? detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dropped {SopInstanceUid} (job {JobId}) at {Stage}: a newer copy replaced it")]
    private partial void LogSuperseded(string sopInstanceUid, long jobId, string stage);
}
