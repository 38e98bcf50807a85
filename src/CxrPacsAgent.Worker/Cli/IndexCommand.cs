using System.CommandLine;
using CxrPacsAgent.Worker.Cli.Index;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent index stats | query FILE | import --data DIR | evaluate --data DIR | rebuild | remove UID</c>: the
/// similar-study library in the agent's state database (docs/retrieval.md). One file per verb under Cli/Index/.
/// </summary>
internal static class IndexCommand
{
    public static Command Create() => new("index", "The similar-study library: import labelled cases, query, evaluate, rebuild, remove")
    {
        IndexStatsCommand.Create(),
        IndexQueryCommand.Create(),
        IndexImportCommand.Create(),
        IndexEvaluateCommand.Create(),
        IndexRebuildCommand.Create(),
        IndexRemoveCommand.Create(),
    };
}
