using Spectre.Console;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>A Spectre.Console progress bar on standard error (standard output stays clean for --json and pipes).</summary>
internal static class ConsoleProgress
{
    public static T Run<T>(string title, int total, Func<IProgress<int>, T> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (total < 20 || Console.IsErrorRedirected)
        {
            // Short runs and logs: no bar, no escape codes.
            return work(new Progress<int>(_ => { }));
        }
        return console.Progress().AutoClear(true).Columns(
            new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(title, maxValue: total);
                return work(new SyncProgress(done => task.Value = done));
            });
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
