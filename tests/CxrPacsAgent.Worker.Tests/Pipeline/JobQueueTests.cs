using CxrPacsAgent.Worker.Pipeline;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Time.Testing;

namespace CxrPacsAgent.Worker.Tests.Pipeline;

public sealed class JobQueueTests
{
    [Fact]
    public void A_job_put_off_comes_back_after_its_delay_and_is_counted_meanwhile()
    {
        var time = new FakeTimeProvider();
        var queue = new JobQueue(time);
        queue.Enqueue(new JobRef(1, 1));
        queue.EnqueueLater(new JobRef(2, 1), TimeSpan.FromSeconds(30));
        queue.EnqueueLater(new JobRef(3, 2), TimeSpan.FromSeconds(60));
        Assert.Equal(3, queue.Count);
        Assert.True(queue.Reader.TryRead(out var first));
        Assert.Equal(new JobRef(1, 1), first);
        Assert.False(queue.Reader.TryRead(out _));
        // Nothing holds the timers but the queue: a collection must not lose them.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(queue.Reader.TryRead(out var second));
        Assert.Equal(new JobRef(2, 1), second);
        Assert.Equal(1, queue.Count);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(queue.Reader.TryRead(out var third));
        Assert.Equal(new JobRef(3, 2), third);
        Assert.Equal(0, queue.Count);
    }
}
