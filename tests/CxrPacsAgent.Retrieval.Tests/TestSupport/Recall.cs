using CxrPacsAgent.Retrieval.Vectors;

namespace CxrPacsAgent.Retrieval.Tests.TestSupport;

/// <summary>recall@k of an approximate index against exact search, as docs/BENCHMARKS.md measures it.</summary>
internal static class Recall
{
    /// <summary>
    /// Mean over queries of |approximate top-k ∩ exact top-k| / k. A hit whose similarity equals the exact k-th
    /// similarity (within 1e-6) counts too: among exactly tied vectors any is a right answer.
    /// </summary>
    public static double AtK(IVectorIndex exact, IVectorIndex approximate, IReadOnlyList<float[]> queries, int k)
    {
        var total = 0.0;
        foreach (var query in queries)
        {
            var truth = exact.Search(query, k);
            var found = approximate.Search(query, k);
            var keys = truth.Select(n => n.Key).ToHashSet();
            var kth = truth[^1].Similarity;
            total += (double)found.Count(n => keys.Contains(n.Key) || n.Similarity >= kth - 1e-6f) / k;
        }
        return total / queries.Count;
    }
}
