using System.CommandLine;
using CxrPacsAgent.Worker.Hosting;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent serve [--config FILE]</c>: runs the service until stopped. Settings: the embedded defaults, then FILE,
/// then <c>CXRAGENT_</c> environment variables (docs/configuration.md).
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "a JSON settings file over the embedded defaults (see docs/configuration.md)" };
        var command = new Command("serve", "Run the service: receive chest X-rays over DICOM, score them, send the results to the PACS") { config };
        command.SetAction((result, cancellationToken) => AgentHost.RunAsync(result.GetValue(config)?.FullName, cancellationToken));
        return command;
    }
}
