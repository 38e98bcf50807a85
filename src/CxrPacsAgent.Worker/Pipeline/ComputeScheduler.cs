using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace CxrPacsAgent.Worker.Pipeline;

/// <summary>
/// The threads the stages compute on: one per core, at a lower priority than the rest of the process (nice +10 on
/// Linux, below normal on Windows). Intake (the network, the fsync, the state commit) then always gets the CPU first, so
/// it keeps answering routers at network speed while the pipeline is behind; the pipeline uses what is left. Threads
/// that ONNX Runtime starts from one of these inherit its priority, so the model is loaded on one too.
/// </summary>
public sealed partial class ComputeScheduler : TaskScheduler, IDisposable
{
    /// <summary>How much nicer than the process the compute threads are (Linux).</summary>
    public const int NiceIncrement = 10;

    private readonly BlockingCollection<Task> tasks = [];
    private readonly Thread[] threads;

    public ComputeScheduler(int threadCount)
    {
        threads = new Thread[Math.Max(1, threadCount)];
        for (var i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(Work) { IsBackground = true, Name = $"cxr-compute-{i}" };
            if (OperatingSystem.IsWindows())
            {
                threads[i].Priority = ThreadPriority.BelowNormal;
            }
            threads[i].Start();
        }
    }

    public override int MaximumConcurrencyLevel => threads.Length;

    /// <summary>Runs <paramref name="work"/> on a compute thread.</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.DenyChildAttach, this);

    private void Work()
    {
        if (OperatingSystem.IsLinux())
        {
            // The nice value belongs to the thread on Linux; raising it needs no privilege. A failure leaves it as it is.
            _ = SetPriority(0, GetThreadId(), GetPriority(0, GetThreadId()) + NiceIncrement);
        }
        foreach (var task in tasks.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }

    protected override void QueueTask(Task task) => tasks.Add(task);

    // Inline only on our own threads, so compute never runs at the caller's priority.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Thread.CurrentThread.Name?.StartsWith("cxr-compute-", StringComparison.Ordinal) == true && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => [.. tasks];

    public void Dispose()
    {
        tasks.CompleteAdding();
        // The threads leave their loop once the queue is empty; disposing the queue under one still waiting on it would
        // crash the process. One still busy after the grace period (a long model run) keeps the queue alive for the GC.
        if (threads.All(t => t == Thread.CurrentThread || t.Join(TimeSpan.FromSeconds(30))))
        {
            tasks.Dispose();
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "getpriority")]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);
}
