namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>
/// Leave-one-out k-nearest-neighbour vote on the embeddings (Euclidean): how often the k most similar other images
/// carry the image's own label. Measures whether the embedding is useful for the similar-case retrieval.
/// A tied vote goes to the nearest neighbour's label.
/// </summary>
public static class KnnVote
{
    public static double Accuracy(IReadOnlyList<float[]> embeddings, IReadOnlyList<bool> truth, int k = 4)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(truth);
        var n = embeddings.Count;
        if (n <= k)
        {
            return double.NaN;
        }
        var correct = 0;
        var distances = new (double D, int I)[n - 1];
        for (var i = 0; i < n; i++)
        {
            var m = 0;
            for (var j = 0; j < n; j++)
            {
                if (j != i)
                {
                    distances[m++] = (SquaredDistance(embeddings[i], embeddings[j]), j);
                }
            }
            // Ties in distance are broken by index, so the result does not depend on the sort's stability.
            Array.Sort(distances, (a, b) => a.D != b.D ? a.D.CompareTo(b.D) : a.I.CompareTo(b.I));
            var positive = 0;
            for (var r = 0; r < k; r++)
            {
                if (truth[distances[r].I]) { positive++; }
            }
            var vote = 2 * positive == k ? truth[distances[0].I] : 2 * positive > k;
            if (vote == truth[i]) { correct++; }
        }
        return (double)correct / n;
    }

    internal static double SquaredDistance(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (double)a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }
}
