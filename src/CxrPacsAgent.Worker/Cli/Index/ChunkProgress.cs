namespace CxrPacsAgent.Worker.Cli.Index;

/// <summary>Reports progress within a chunk as progress of the whole run.</summary>
internal sealed class ChunkProgress(IProgress<int> whole, int offset) : IProgress<int>
{
    public void Report(int value) => whole.Report(offset + value);
}
