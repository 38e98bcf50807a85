namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>Indices by descending score (stable), with the class counts, shared by the ROC and PR curves.</summary>
internal static class Ranked
{
    public static (int[] Order, int Positives, int Negatives) Sort(ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth)
    {
        if (scores.Length != truth.Length)
        {
            throw new ArgumentException("scores and truth differ in length");
        }
        foreach (var s in scores)
        {
            if (double.IsNaN(s))
            {
                throw new ArgumentException("scores contain NaN");
            }
        }
        var copy = scores.ToArray();
        var order = Enumerable.Range(0, copy.Length).OrderByDescending(i => copy[i]).ToArray();
        var positives = 0;
        foreach (var t in truth) { if (t) { positives++; } }
        return (order, positives, truth.Length - positives);
    }
}
