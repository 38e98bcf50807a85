using System.CommandLine;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>The <c>cxr-agent</c> command line: one verb per file under Cli/.</summary>
public static class CliApplication
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("CxrPacsAgent: chest X-ray AI worker for PACS (DICOM C-STORE in, SR and SC out).")
        {
            ServeCommand.Create(),
            DumpCommand.Create(),
            ConvertCommand.Create(),
            PreprocessCommand.Create(),
            ClassifyCommand.Create(),
            EvaluateCommand.Create(),
            CalibrateCommand.Create(),
            FitOodCommand.Create(),
            DriftCommand.Create(),
            ExportTensorsCommand.Create(),
            ExportLungMasksCommand.Create(),
            EchoCommand.Create(),
            SendCommand.Create(),
            StoreScpCommand.Create(),
            ReportCommand.Create(),
            IndexCommand.Create(),
            HashPasswordCommand.Create(),
        };
        // The host of `serve` and store-scp handle SIGTERM and Ctrl+C themselves, stopping cleanly in their own time.
        var config = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return await root.Parse(args).InvokeAsync(config).ConfigureAwait(false);
    }
}
