using System.Globalization;

namespace CxrPacsAgent.Bench.Retrieval;

/// <summary>CPU seconds spent so far by the background merge threads ("hnsw-merge"), from /proc (Linux; 0 elsewhere).</summary>
internal static class MergeThreadCpu
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static double Seconds()
    {
        if (!Directory.Exists("/proc/self/task"))
        {
            return 0;
        }
        var total = 0.0;
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim() != "hnsw-merge")
                {
                    continue;
                }
                // Fields after the ")" that closes the name: state is the 3rd field; utime and stime the 14th and 15th.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
            }
            catch (IOException)
            {
                // the thread ended meanwhile
            }
        }
        return total;
    }
}
