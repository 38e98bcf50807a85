using System.Data.Common;
using System.Diagnostics;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Outbox;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Pipeline;

/// <summary>
/// The drain at stop, within <c>Pipeline:DrainTimeout</c>: waits for the stages to finish the studies they hold (the
/// feeder has stopped, so nothing new enters), then for the sender to deliver what is due, so a study the agent was
/// working on leaves it complete rather than half done for another agent or the next start to repeat. What is still
/// unfinished at the deadline is abandoned by the stop that follows and resumes from its recorded state.
/// </summary>
public sealed partial class PipelineDrain(IOutboxStore outbox, OutboxSignal sender, IOptions<PipelineOptions> options, TimeProvider time,
    ILogger<PipelineDrain> logger)
{
    /// <summary>How often the drain looks at the outbox (and wakes the sender) while results are due.</summary>
    private static readonly TimeSpan OutboxPoll = TimeSpan.FromMilliseconds(250);

    /// <param name="pipeline">Completes when every stage has finished what it held.</param>
    /// <param name="inPipeline">The studies in the stages now.</param>
    /// <param name="cancellationToken">The host's stop token: cancelled when its own shutdown timeout runs out.</param>
    public async Task RunAsync(Task pipeline, Func<int> inPipeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(inPipeline);
        var timeout = options.Value.DrainTimeout;
        var started = Stopwatch.GetTimestamp();
        var holding = inPipeline();
        LogDraining(holding, timeout.TotalSeconds);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var delivered = false;
        try
        {
            await pipeline.WaitAsync(deadline.Token).ConfigureAwait(false);
            await DeliverDueAsync(deadline.Token).ConfigureAwait(false);
            delivered = true;
        }
        catch (OperationCanceledException)
        {
            // The deadline: what is left is abandoned by the stop and resumes elsewhere or later.
        }
        catch (DbException e)
        {
            LogOutboxUnavailable(e.Message);
        }
        var left = inPipeline();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (left == 0 && delivered)
        {
            LogDrained(holding, seconds);
        }
        else
        {
            LogDrainTimedOut(holding - left, left, seconds, delivered);
        }
    }

    /// <summary>Until nothing in the outbox is due now: a result put off after a failed attempt does not hold the stop.</summary>
    private async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        while (await outbox.NextDueAsync(cancellationToken).ConfigureAwait(false) is { } next && next <= time.GetUtcNow())
        {
            sender.Wake();
            await Task.Delay(OutboxPoll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: no new work; finishing the {Count} studies in the pipeline and delivering their results (up to {Seconds} s)")]
    private partial void LogDraining(int count, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: {Count} studies finished and their results delivered in {Seconds:0.0} s")]
    private partial void LogDrained(int count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain ended early: {Finished} studies finished, {Left} unfinished after {Seconds:0.0} s, results delivered: {Delivered} (the rest resumes from its recorded state)")]
    private partial void LogDrainTimedOut(int finished, int left, double seconds, bool delivered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain: the outbox could not be read, stopping without waiting for the sender: {Error}")]
    private partial void LogOutboxUnavailable(string error);
}
