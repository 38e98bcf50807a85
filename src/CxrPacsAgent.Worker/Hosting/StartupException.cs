namespace CxrPacsAgent.Worker.Hosting;

/// <summary>The service cannot start; the message names the configuration key to look at.</summary>
public sealed class StartupException : Exception
{
    public StartupException() { }

    public StartupException(string message) : base(message) { }

    public StartupException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Process exit code: 2 for configuration, 4 for an unusable model package, 1 for anything else.</summary>
    public int ExitCode { get; init; } = 1;
}
