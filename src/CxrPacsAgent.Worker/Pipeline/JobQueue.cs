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
    private int delayed;

    public JobQueue(TimeProvider? time = null) => this.time = time ?? TimeProvider.System;

    public ChannelReader<JobRef> Reader => ready.Reader;

    /// <summary>Jobs waiting, including those put off for a while.</summary>
    public int Count => ready.Reader.Count + Volatile.Read(ref delayed);

    public void Enqueue(JobRef job) => ready.Writer.TryWrite(job);

    /// <summary>Puts a job back after <paramref name="delay"/> (a passing failure); a restart meanwhile finds it in the store.</summary>
    public void EnqueueLater(JobRef job, TimeSpan delay)
    {
        Interlocked.Increment(ref delayed);
        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            Interlocked.Decrement(ref delayed);
            Enqueue(job);
            timer?.Dispose();
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    public void Complete() => ready.Writer.TryComplete();
}
