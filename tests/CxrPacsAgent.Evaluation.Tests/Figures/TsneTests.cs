using CxrPacsAgent.Evaluation.Figures;
using CxrPacsAgent.Evaluation.Metrics;

namespace CxrPacsAgent.Evaluation.Tests.Figures;

public sealed class TsneTests
{
    [Fact]
    public void Keeps_two_clusters_apart_and_is_deterministic()
    {
        var r = new Random(0);
        var points = Enumerable.Range(0, 60).Select(i => Enumerable.Range(0, 8)
            .Select(_ => (float)((i < 30 ? 0 : 5) + r.NextDouble())).ToArray()).ToArray();
        var a = Tsne.Embed(points, perplexity: 10, iterations: 300);
        var b = Tsne.Embed(points, perplexity: 10, iterations: 300);
        Assert.Equal(a.SelectMany(p => p), b.SelectMany(p => p));
        static double[] Centre(IEnumerable<double[]> ps) => [ps.Average(p => p[0]), ps.Average(p => p[1])];
        static double Spread(IEnumerable<double[]> ps, double[] c) => ps.Average(p => Math.Sqrt(Math.Pow(p[0] - c[0], 2) + Math.Pow(p[1] - c[1], 2)));
        var c1 = Centre(a.Take(30));
        var c2 = Centre(a.Skip(30));
        var gap = Math.Sqrt(Math.Pow(c1[0] - c2[0], 2) + Math.Pow(c1[1] - c2[1], 2));
        Assert.True(gap > 2 * Math.Max(Spread(a.Take(30), c1), Spread(a.Skip(30), c2)), $"gap {gap}");
    }
}
