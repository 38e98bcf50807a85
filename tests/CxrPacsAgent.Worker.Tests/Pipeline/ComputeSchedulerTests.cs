using System.Globalization;
using CxrPacsAgent.Worker.Pipeline;

namespace CxrPacsAgent.Worker.Tests.Pipeline;

public sealed class ComputeSchedulerTests
{
    [SkippableFact]
    public async Task Stage_work_runs_on_nicer_threads_than_the_rest_of_the_process()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "thread nice values are a Linux notion (Windows threads get BelowNormal priority)");
        using var compute = new ComputeScheduler(2);
        var caller = Nice();
        var (name, nice) = await compute.RunAsync(() => (Thread.CurrentThread.Name, Nice()));
        Assert.StartsWith("cxr-compute-", name, StringComparison.Ordinal);
        Assert.Equal(Math.Min(19, caller + ComputeScheduler.NiceIncrement), nice);
        // The process's other threads are left as they were.
        Assert.Equal(caller, await Task.Run(Nice));
        // Work started from a compute thread stays on one; a failure comes back as the task's exception.
        var inner = await compute.RunAsync(() => compute.RunAsync(() => Thread.CurrentThread.Name)).Unwrap();
        Assert.StartsWith("cxr-compute-", inner, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => compute.RunAsync<int>(() => throw new InvalidOperationException()));
    }

    [Fact]
    public async Task Disposing_while_the_threads_wait_for_work_lets_them_leave_without_a_fault()
    {
        // Before the fix the idle threads woke up on a disposed queue and the unhandled exception ended the process.
        var finished = 0;
        var compute = new ComputeScheduler(4);
        Assert.Equal(1, await compute.RunAsync(() => 1));
        var slow = compute.RunAsync(() => { Thread.Sleep(300); return Interlocked.Increment(ref finished); });
        compute.Dispose();
        // Queued work is finished before the threads leave.
        Assert.Equal(1, await slow);
        await Task.Delay(200);
        Assert.Equal(1, finished);
    }

    /// <summary>The calling thread's nice value (field 19 of /proc/thread-self/stat).</summary>
    private static int Nice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], CultureInfo.InvariantCulture);
    }
}
