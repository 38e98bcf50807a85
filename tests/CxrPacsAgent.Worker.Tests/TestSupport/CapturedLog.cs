using Microsoft.Extensions.Logging;

namespace CxrPacsAgent.Worker.Tests.TestSupport;

/// <summary>A logger provider that keeps every message (level and text), so a test can check what an operator is told.</summary>
internal sealed class CapturedLog : ILoggerProvider
{
    private readonly List<(LogLevel Level, string Message)> entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (entries)
            {
                return [.. entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    private sealed class Logger(CapturedLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (log.entries)
            {
                log.entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
