namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>
/// ROC curve with tied scores kept together (one point per distinct score), so its trapezoid area equals the
/// Mann-Whitney probability P(score⁺ &gt; score⁻) + ½ P(tie) — what sklearn's roc_auc_score reports.
/// </summary>
public static class RocCurve
{
    public static IReadOnlyList<CurvePoint> Points(ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth)
    {
        var (order, positives, negatives) = Ranked.Sort(scores, truth);
        var points = new List<CurvePoint> { new(0, 0, double.PositiveInfinity) };
        int tp = 0, fp = 0;
        for (var i = 0; i < order.Length;)
        {
            var s = scores[order[i]];
            // Consume every sample with this score before emitting a point: ties move diagonally.
            for (; i < order.Length && scores[order[i]] == s; i++)
            {
                if (truth[order[i]]) { tp++; } else { fp++; }
            }
            points.Add(new CurvePoint(Rate(fp, negatives), Rate(tp, positives), s));
        }
        return points;
    }

    /// <summary>Area under the ROC curve; NaN when one class is absent.</summary>
    public static double Auc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth)
    {
        var p = 0;
        foreach (var t in truth) { if (t) { p++; } }
        if (p == 0 || p == truth.Length)
        {
            return double.NaN;
        }
        var points = Points(scores, truth);
        double area = 0;
        for (var i = 1; i < points.Count; i++)
        {
            area += (points[i].X - points[i - 1].X) * (points[i].Y + points[i - 1].Y) / 2;
        }
        return area;
    }

    private static double Rate(int a, int b) => b == 0 ? double.NaN : (double)a / b;
}
