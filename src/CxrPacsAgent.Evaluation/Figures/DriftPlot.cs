using System.Globalization;
using CxrPacsAgent.Inference.Monitoring;
using ScottPlot;

namespace CxrPacsAgent.Evaluation.Figures;

/// <summary>The drift figure: the reference's and the recent score distributions side by side, with PSI and the rates in the title.</summary>
public static class DriftPlot
{
    public static void Save(DriftReport report, string packageName, string source, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        var verdict = report.TooFewResults ? "too few results to judge" : report.Moved ? "MOVED" : "stable";
        var ood = report.OodRate is { } o ? string.Create(CultureInfo.InvariantCulture, $", OOD {o.Recent:P1} (ref {o.Reference:P1})") : "";
        var rates = string.Create(CultureInfo.InvariantCulture, $"skipped {report.SkipRate.Recent:P1} (ref {report.SkipRate.Reference:P1}){ood}");
        var plot = EvaluationPlots.NewPlot(string.Create(CultureInfo.InvariantCulture,
            $"Drift of {packageName}: {verdict}, PSI {report.Psi:F3}\n{rates} — {Path.GetFileName(source.TrimEnd('/'))}, {report.Scored} scored"),
            "calibrated probability", "share of scored images");
        var bins = report.ReferenceBins.Count;
        var width = 1.0 / bins;
        foreach (var (shares, name, color, offset) in new[]
        {
            (report.ReferenceBins, "reference", Colors.Gray, -0.22),
            (report.RecentBins, "recent", Colors.OrangeRed, 0.22),
        })
        {
            var positions = Enumerable.Range(0, bins).Select(b => ((b + 0.5) * width) + (offset * width)).ToArray();
            var bars = plot.Add.Bars(positions, [.. shares]);
            bars.LegendText = name;
            foreach (var bar in bars.Bars)
            {
                bar.Size = width * 0.42;
                bar.FillColor = color.WithAlpha(0.8);
                bar.LineWidth = 0;
            }
        }
        plot.Axes.SetLimits(0, 1, 0, Math.Max(report.ReferenceBins.Max(), report.RecentBins.Max()) * 1.15);
        plot.ShowLegend(Alignment.UpperCenter);
        EvaluationPlots.SavePng(plot, path);
    }
}
