namespace CxrPacsAgent.Evaluation.Data;

/// <summary>Runs per-image work (decode, preprocess, infer) on all cores, results in input order, progress reported per image.</summary>
public static class ParallelRows
{
    public static TResult[] Map<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> work, IProgress<int>? progress = null,
        int? degree = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(work);
        var results = new TResult[items.Count];
        var done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = degree ?? Environment.ProcessorCount };
        Parallel.For(0, items.Count, options, i =>
        {
            results[i] = work(items[i]);
            progress?.Report(Interlocked.Increment(ref done));
        });
        return results;
    }
}
