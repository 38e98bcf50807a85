using System.Threading.Channels;
using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.Pipeline;
using CxrPacsAgent.Worker.State;
using CxrPacsAgent.Worker.State.Sqlite;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CxrPacsAgent.Worker.Tests.Pipeline;

/// <summary>How the runner settles each verdict a stage can give, and the exceptions a stage can throw.</summary>
public sealed class StageRunnerTests : IAsyncLifetime
{
    private readonly TempFolder temp = new("runner");
    private readonly ComputeScheduler compute = new(1);
    private readonly JobQueue queue = new();
    private readonly AgentMetrics metrics = new();
    private SqliteStateStore store = null!;

    public async Task InitializeAsync()
    {
        store = new SqliteStateStore(Path.Combine(temp.Path, "agent.db"));
        await store.InitializeAsync();
    }

    public Task DisposeAsync()
    {
        compute.Dispose();
        SqliteConnection.ClearAllPools();
        temp.Dispose();
        return Task.CompletedTask;
    }

    private sealed class ScriptedStage(Func<WorkItem, StageOutcome> run) : IStage
    {
        public string Name => "scripted";

        public ValueTask<StageOutcome> RunAsync(WorkItem item, CancellationToken cancellationToken) => ValueTask.FromResult(run(item));
    }

    /// <summary>Items the runner said left the pipeline.</summary>
    private readonly List<WorkItem> left = [];

    /// <summary>Whether the runner completed its output once its input was completed and empty (a drain).</summary>
    private bool outputCompleted;

    /// <summary>Runs one new job through the stage; returns the job as recorded and what came out of the stage.</summary>
    private async Task<(JobRecord Job, WorkItem? Passed)> RunAsync(Func<WorkItem, StageOutcome> stage)
    {
        var uid = "1.2.3." + Guid.NewGuid().ToString("N")[..8].Select(c => (int)c % 10).Aggregate("", (s, d) => s + d);
        var job = (await store.RecordReceivedAsync(new SpooledInstance(uid, "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.1.2.1",
            "f.dcm", new string('a', 64), 1, "R"))).Job;
        var input = Channel.CreateBounded<WorkItem>(1);
        var output = Channel.CreateBounded<WorkItem>(1);
        var runner = new StageRunner(new ScriptedStage(stage), input.Reader, output.Writer, store, queue, TimeSpan.FromMilliseconds(50),
            compute, metrics, NullLogger.Instance) { Left = left.Add };
        using var stop = new CancellationTokenSource();
        var running = runner.RunAsync(stop.Token);
        await input.Writer.WriteAsync(new WorkItem((await store.GetAsync(job.Id))!, "f.dcm"));
        input.Writer.Complete();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        output.Reader.TryRead(out var passed);
        outputCompleted = output.Reader.Completion.IsCompleted;
        return ((await store.GetAsync(job.Id))!, passed);
    }

    [Fact]
    public async Task Once_its_input_is_drained_the_runner_completes_its_output_and_says_which_items_left_the_pipeline()
    {
        var (_, passed) = await RunAsync(_ => StageOutcome.Continue);
        Assert.NotNull(passed);
        Assert.True(outputCompleted);
        Assert.Empty(left);
        var (skipped, _) = await RunAsync(_ => StageOutcome.Skip("NotFrontal", "View Position is LL"));
        Assert.Equal(skipped.Ref.Id, Assert.Single(left).Ref.Id);
        await RunAsync(_ => StageOutcome.RetryLater("disk full"));
        Assert.Equal(2, left.Count);
    }

    [Fact]
    public async Task Continue_hands_the_item_on()
    {
        var (job, passed) = await RunAsync(_ => StageOutcome.Continue);
        Assert.Equal(JobState.Received, job.State);
        Assert.Equal(job.Ref, passed!.Ref);
    }

    [Fact]
    public async Task Skips_and_failures_are_recorded_with_their_reason_and_counted()
    {
        var (skipped, passed) = await RunAsync(_ => StageOutcome.Skip("NotFrontal", "View Position is LL"));
        Assert.Null(passed);
        Assert.Equal((JobState.Skipped, "NotFrontal", "View Position is LL"), (skipped.State, skipped.Reason, skipped.Detail));
        var (failed, _) = await RunAsync(_ => StageOutcome.Fail("Unreadable", "truncated"));
        Assert.Equal((JobState.Failed, "Unreadable"), (failed.State, failed.Reason));
        Assert.Equal(1, metrics.Skipped.WithLabels("NotFrontal").Value);
        Assert.Equal(1, metrics.Failed.WithLabels("scripted", "Unreadable").Value);
    }

    [Fact]
    public async Task An_unexpected_exception_fails_only_that_item_with_its_type_as_the_reason()
    {
        var (job, passed) = await RunAsync(_ => throw new InvalidOperationException("a bug"));
        Assert.Null(passed);
        Assert.Equal((JobState.Failed, "InvalidOperationException", "a bug"), (job.State, job.Reason, job.Detail));
    }

    [Fact]
    public async Task A_passing_IO_failure_puts_the_job_back_in_the_queue_for_later()
    {
        var (job, passed) = await RunAsync(_ => throw new IOException("No space left on device"));
        Assert.Null(passed);
        Assert.Equal(JobState.Received, job.State);
        Assert.Equal(1, queue.Count);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal(job.Ref, await queue.Reader.ReadAsync(wait.Token));
        Assert.Equal(1, metrics.StageRetries.WithLabels("scripted").Value);
        // A file that is gone will not come back: that is a failure, not a retry.
        var (missing, _) = await RunAsync(_ => throw new FileNotFoundException("gone"));
        Assert.Equal(JobState.Failed, missing.State);
    }

    [Fact]
    public async Task A_superseded_item_is_dropped_without_a_record()
    {
        var (job, passed) = await RunAsync(_ => StageOutcome.Superseded);
        Assert.Null(passed);
        Assert.Equal(JobState.Received, job.State);
        Assert.Equal(0, queue.Count);
    }
}
