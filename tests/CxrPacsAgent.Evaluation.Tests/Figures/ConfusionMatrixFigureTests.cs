using CxrPacsAgent.Evaluation.Figures;
using CxrPacsAgent.Evaluation.Metrics;
using CxrPacsAgent.Inference.Tests.TestSupport;
using ScottPlot;
using SkiaSharp;

namespace CxrPacsAgent.Evaluation.Tests.Figures;

/// <summary>The confusion matrix's colours belong to its counts: the darkest cell is the largest count, a zero cell is white.</summary>
public sealed class ConfusionMatrixFigureTests
{
    [Fact]
    public void Each_cell_is_coloured_by_its_own_count()
    {
        // Four different counts, so any flip or transpose puts a colour on the wrong number.
        var cm = new ConfusionMatrix(TruePositive: 60, FalsePositive: 0, TrueNegative: 120, FalseNegative: 20);
        var plot = EvaluationPlots.ConfusionMatrixPlot(cm, "PNEUMONIA", "NORMAL", "test");
        var folder = Repository.TempFolder("confusion");
        var path = Path.Combine(folder, "cm.png");
        plot.SavePng(path, 640, 480);
        using var bitmap = SKBitmap.Decode(path)!;
        // Cell centres in data units (x: predicted NORMAL, PNEUMONIA; y: actual PNEUMONIA at 0.5, NORMAL at 1.5),
        // sampled off-centre so the count's label does not cover the pixel.
        int Darkness(double x, double y)
        {
            var p = plot.GetPixel(new Coordinates(x + 0.3, y + 0.3));
            var c = bitmap.GetPixel((int)p.X, (int)p.Y);
            return 765 - c.Red - c.Green - c.Blue;
        }
        var tn = Darkness(0.5, 1.5);
        var fp = Darkness(1.5, 1.5);
        var fn = Darkness(0.5, 0.5);
        var tp = Darkness(1.5, 0.5);
        Directory.Delete(folder, recursive: true);
        Assert.True(tn > tp && tp > fn && fn > fp, $"darkness TN {tn}, TP {tp}, FN {fn}, FP {fp} should follow the counts 120 > 60 > 20 > 0");
    }
}
