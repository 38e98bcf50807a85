using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CxrPacsAgent.Worker.State;

namespace CxrPacsAgent.Worker.Pipeline;

/// <summary>
/// Jobs waiting to enter the pipeline: unbounded, since each entry is only a reference to an instance already durable
/// in the spool. Intake adds to it and never waits; the pipeline takes from it as fast as its first stage accepts.
/// </summary>
public sealed class JobQueue
{
    private readonly Channel<JobRef> ready = Channel.CreateUnbounded<JobRef>();
    private readonly TimeProvider time;

    // Held here until they fire: a timer nothing refers to can be collected before it does.
    private readonly ConcurrentDictionary<ITimer, JobRef> delayed = new();

    public JobQueue(TimeProvider? time = null) => this.time = time ?? TimeProvider.System;

    public ChannelReader<JobRef> Reader => ready.Reader;

    /// <summary>Jobs waiting, including those put off for a while.</summary>
    public int Count => ready.Reader.Count + delayed.Count;

    public void Enqueue(JobRef job) => ready.Writer.TryWrite(job);

    /// <summary>Puts a job back after <paramref name="delay"/> (a passing failure); a restart meanwhile finds it in the store.</summary>
    public void EnqueueLater(JobRef job, TimeSpan delay)
    {
        // Created disarmed, so the timer is known (and held) before it can fire.
        var holder = new StrongBox<ITimer?>();
        var timer = time.CreateTimer(state => Fire((StrongBox<ITimer?>)state!), holder, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        holder.Value = timer;
        delayed[timer] = job;
        timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private void Fire(StrongBox<ITimer?> holder)
    {
        if (holder.Value is { } timer && delayed.TryRemove(timer, out var job))
        {
            Enqueue(job);
            timer.Dispose();
        }
    }

    public void Complete() => ready.Writer.TryComplete();
}
