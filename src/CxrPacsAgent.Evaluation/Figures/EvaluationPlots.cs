using CxrPacsAgent.Evaluation.Metrics;
using ScottPlot;

namespace CxrPacsAgent.Evaluation.Figures;

/// <summary>The evaluation's PNG figures (ScottPlot). Titles carry the task so a figure is never shown out of context.</summary>
public static class EvaluationPlots
{
    private const int Width = 640;
    private const int Height = 480;
    private static readonly Lock FontLock = new();
    private static bool fontLoaded;

    public static void Roc(IReadOnlyList<CurvePoint> points, double auc, string title, string path)
    {
        var plot = NewPlot($"ROC — {title}", "false positive rate (1 − specificity)", "true positive rate (sensitivity)");
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LinePattern = LinePattern.Dashed;
        chance.Color = Colors.Gray;
        var curve = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
        curve.LegendText = $"AUC {auc:F3}";
        curve.LineWidth = 2;
        Finish(plot, path, unitSquare: true);
    }

    public static void PrecisionRecall(IReadOnlyList<CurvePoint> points, double ap, double prevalence, string title, string path)
    {
        var plot = NewPlot($"Precision–recall — {title}", "recall (sensitivity)", "precision (PPV)");
        var baseLine = plot.Add.HorizontalLine(prevalence);
        baseLine.LinePattern = LinePattern.Dashed;
        baseLine.Color = Colors.Gray;
        var curve = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
        curve.LegendText = $"AP {ap:F3}";
        curve.LineWidth = 2;
        Finish(plot, path, unitSquare: true);
    }

    public static void ScoreHistogram(IReadOnlyList<double> scores, IReadOnlyList<bool> truth, string positive, string negative,
        double threshold, string title, string path)
    {
        var plot = NewPlot($"Scores by ground truth — {title}", "score", "images");
        const int bins = 20;
        foreach (var (cls, name, color) in new[] { (false, negative, Colors.SteelBlue), (true, positive, Colors.OrangeRed) })
        {
            var counts = new double[bins];
            for (var i = 0; i < scores.Count; i++)
            {
                if (truth[i] == cls)
                {
                    counts[Math.Min(bins - 1, (int)(scores[i] * bins))]++;
                }
            }
            var positions = Enumerable.Range(0, bins).Select(b => (b + 0.5) / bins).ToArray();
            var bars = plot.Add.Bars(positions, counts);
            bars.LegendText = name;
            foreach (var bar in bars.Bars)
            {
                bar.Size = 1.0 / bins * 0.9;
                bar.FillColor = color.WithAlpha(0.6);
                bar.LineWidth = 0;
            }
        }
        var line = plot.Add.VerticalLine(threshold);
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = $"threshold {threshold:F2}";
        Finish(plot, path, unitSquare: false);
    }

    public static void ConfusionMatrix(ConfusionMatrix cm, string positive, string negative, string title, string path) =>
        Save(ConfusionMatrixPlot(cm, positive, negative, title), path);

    /// <summary>
    /// Rows are the truth (top: negative), columns the prediction (left: negative). ScottPlot draws a heatmap's first
    /// row at the top, as the labels and counts are placed, so the cells are not flipped; and the colour runs from white
    /// (no images) to dark blue (the most), which ScottPlot's own Blues map does the other way round. Both once made a
    /// cell's colour belong to another cell's count (test ConfusionMatrixFigureTests).
    /// </summary>
    internal static Plot ConfusionMatrixPlot(ConfusionMatrix cm, string positive, string negative, string title)
    {
        ArgumentNullException.ThrowIfNull(cm);
        var plot = NewPlot($"Confusion matrix — {title}", "predicted", "actual");
        double[,] cells = { { cm.TrueNegative, cm.FalsePositive }, { cm.FalseNegative, cm.TruePositive } };
        var heat = plot.Add.Heatmap(cells);
        heat.Colormap = new WhiteToBlue();
        heat.Extent = new CoordinateRect(0, 2, 0, 2);
        for (var r = 0; r < 2; r++)
        {
            for (var c = 0; c < 2; c++)
            {
                var text = plot.Add.Text(cells[r, c].ToString(System.Globalization.CultureInfo.InvariantCulture), c + 0.5, 1.5 - r);
                text.LabelFontSize = 28;
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = Colors.Black;
                text.LabelBackgroundColor = Colors.White.WithAlpha(0.7);
            }
        }
        plot.Axes.Bottom.SetTicks([0.5, 1.5], [negative, positive]);
        plot.Axes.Left.SetTicks([0.5, 1.5], [positive, negative]);
        plot.Axes.SetLimits(0, 2, 0, 2);
        return plot;
    }

    /// <summary>Reliability diagram: each bin's share of positives against its mean probability, the diagonal, and the counts.</summary>
    public static void Reliability(CalibrationMetrics calibration, string title, string path)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        var plot = NewPlot(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Reliability — {title}\nECE {calibration.Ece:F3}, Brier {calibration.Brier:F3} (counts per bin)"), "mean predicted probability", "fraction positive");
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        diagonal.LegendText = "perfectly calibrated";
        var used = calibration.Bins.Where(b => b.Count > 0).ToArray();
        var curve = plot.Add.Scatter(used.Select(b => b.MeanProbability).ToArray(), used.Select(b => b.PositiveFraction).ToArray());
        curve.LineWidth = 2;
        curve.MarkerSize = 7;
        curve.LegendText = "bins (10, equal width)";
        foreach (var b in used)
        {
            var label = plot.Add.Text(b.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), b.MeanProbability, b.PositiveFraction);
            label.LabelFontSize = 10;
            label.LabelAlignment = Alignment.LowerCenter;
        }
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.SetLimits(-0.02, 1.04, -0.02, 1.1);  // room for the counts above the top bins
        SavePng(plot, path);
    }

    public static void Tsne(double[][] xy, IReadOnlyList<bool> truth, string positive, string negative, string title, string path)
    {
        var plot = NewPlot($"t-SNE of embeddings — {title}", "t-SNE 1", "t-SNE 2");
        foreach (var (cls, name, color) in new[] { (false, negative, Colors.SteelBlue), (true, positive, Colors.OrangeRed) })
        {
            var idx = Enumerable.Range(0, xy.Length).Where(i => truth[i] == cls).ToArray();
            var s = plot.Add.ScatterPoints(idx.Select(i => xy[i][0]).ToArray(), idx.Select(i => xy[i][1]).ToArray());
            s.Color = color.WithAlpha(0.7);
            s.MarkerSize = 4;
            s.LegendText = name;
        }
        Finish(plot, path, unitSquare: false);
    }

    /// <summary>Count → colour: white for the fewest, dark blue for the most.</summary>
    private sealed class WhiteToBlue : IColormap
    {
        public string Name => "white to blue";

        public Color GetColor(double normalizedIntensity)
        {
            var t = Math.Clamp(double.IsNaN(normalizedIntensity) ? 0 : normalizedIntensity, 0, 1);
            return new Color((byte)(255 - (t * (255 - 8))), (byte)(255 - (t * (255 - 48))), (byte)(255 - (t * (255 - 107))));
        }
    }

    internal static Plot NewPlot(string title, string x, string y)
    {
        EnsureFont();
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(title, size: 13);
        plot.XLabel(x, size: 12);
        plot.YLabel(y, size: 12);
        return plot;
    }

    private static void Finish(Plot plot, string path, bool unitSquare)
    {
        if (unitSquare)
        {
            plot.Axes.SetLimits(-0.01, 1.01, -0.01, 1.01);
        }
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path);
    }

    private static void Save(Plot plot, string path) => SavePng(plot, path);

    internal static void SavePng(Plot plot, string path) => plot.SavePng(path, Width, Height);

    /// <summary>Linux servers may have no system fonts (Skia then draws no text): use the DejaVu Sans shipped beside the binaries.</summary>
    private static void EnsureFont()
    {
        lock (FontLock)
        {
            if (fontLoaded)
            {
                return;
            }
            var file = Path.Combine(AppContext.BaseDirectory, "fonts", "DejaVuSans.ttf");
            if (File.Exists(file))
            {
                Fonts.AddFontFile("DejaVu Sans", file);
            }
            fontLoaded = true;
        }
    }
}
