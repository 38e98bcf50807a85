namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>
/// Precision-recall curve (one point per distinct score) and its area as average precision,
/// AP = Σ (Rₖ − Rₖ₋₁)·Pₖ — the step-wise area sklearn's average_precision_score reports; no optimistic interpolation.
/// </summary>
public static class PrecisionRecallCurve
{
    public static IReadOnlyList<CurvePoint> Points(ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth)
    {
        var (order, positives, _) = Ranked.Sort(scores, truth);
        var points = new List<CurvePoint>();
        int tp = 0, fp = 0;
        for (var i = 0; i < order.Length;)
        {
            var s = scores[order[i]];
            for (; i < order.Length && scores[order[i]] == s; i++)
            {
                if (truth[order[i]]) { tp++; } else { fp++; }
            }
            points.Add(new CurvePoint(positives == 0 ? double.NaN : (double)tp / positives, (double)tp / (tp + fp), s));
        }
        return points;
    }

    /// <summary>Average precision; NaN without positives.</summary>
    public static double AveragePrecision(ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth)
    {
        var points = Points(scores, truth);
        if (points.Count == 0 || double.IsNaN(points[0].X))
        {
            return double.NaN;
        }
        double area = 0, previousRecall = 0;
        foreach (var p in points)
        {
            area += (p.X - previousRecall) * p.Y;
            previousRecall = p.X;
        }
        return area;
    }
}
