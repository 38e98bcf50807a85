using System.Data.Common;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Pipeline;

/// <summary>
/// With a shared store: every <c>State:Heartbeat</c> renews this agent's leases and, while its queue has room, claims
/// the jobs nobody holds (those of an agent that died or was cut off past its lease) and queues them. Started before
/// the pipeline and stopped after it: while the pipeline drains it claims nothing new but keeps renewing the leases of
/// the studies being finished; then it gives up its leases, so the other agents take what is left at once instead of
/// after the lease.
/// </summary>
public sealed partial class LeaseService(IJobLeases leases, JobQueue queue, ModelHost model, IOptions<StateOptions> state,
    IOptions<PipelineOptions> pipeline, IHostApplicationLifetime lifetime, ILogger<LeaseService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(state.Value.Heartbeat);
        try
        {
            // Not at once: at start the pipeline claims and queues what nobody holds itself (UnfinishedAsync).
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await BeatAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            // What the other agents' admin pages show for this one.
            leases.Model ??= model.IsLoaded ? $"{model.Manifest.Name} {model.Manifest.Version}" : null;
            await leases.RenewAsync(cancellationToken).ConfigureAwait(false);
            var room = pipeline.Value.QueueCapacity - queue.Count;
            if (room <= 0 || lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return;
            }
            var claimed = await leases.ClaimAsync(room, cancellationToken).ConfigureAwait(false);
            foreach (var job in claimed)
            {
                queue.Enqueue(job);
            }
            if (claimed.Count > 0)
            {
                LogClaimed(claimed.Count);
            }
        }
        catch (DbException e)
        {
            // The database is away: leases run on its clock, so nothing is lost while it is; the next beat tries again.
            LogHeartbeatFailed(e.Message);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await leases.ReleaseAllAsync(cancellationToken).ConfigureAwait(false);
            LogReleased();
        }
        catch (Exception e) when (e is DbException or OperationCanceledException)
        {
            LogReleaseFailed(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Claimed {Count} jobs nobody held")]
    private partial void LogClaimed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat failed, trying again: {Error}")]
    private partial void LogHeartbeatFailed(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released this agent's leases")]
    private partial void LogReleased();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release this agent's leases (they run out by themselves): {Error}")]
    private partial void LogReleaseFailed(string error);
}
