namespace CxrPacsAgent.Bench.Retrieval;

/// <summary>Resident set size after a full collection: what an index costs the process, managed or native.</summary>
internal static class Memory
{
    public static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
