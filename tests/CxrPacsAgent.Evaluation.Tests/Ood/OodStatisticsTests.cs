using System.Globalization;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Evaluation.Ood;
using CxrPacsAgent.Inference.Tests.TestSupport;

namespace CxrPacsAgent.Evaluation.Tests.Ood;

/// <summary>The OOD statistics against NumPy: scikit-learn's Ledoit–Wolf shrinkage formula and numpy.linalg.inv as judges.</summary>
public sealed class OodStatisticsTests
{
    [Fact]
    public void Shrinkage_and_precision_match_numpy()
    {
        var r = new Random(4);
        const int n = 60, d = 12;
        // Correlated features: a few latent factors plus noise, fewer samples than a comfortable covariance wants.
        var latent = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 3).Select(_ => r.NextDouble()).ToArray()).ToArray();
        var features = latent.Select(z => Enumerable.Range(0, d).Select(j => (float)((z[j % 3] * (1 + j)) + (0.3 * r.NextDouble()))).ToArray()).ToList();
        var stats = OodStatistics.Fit(features);

        var folder = Repository.TempFolder("ood");
        var file = Path.Combine(folder, "x.npy");
        NpyWriter.Write(file, features.SelectMany(f => f).ToArray(), n, d);
        var (code, output) = Repository.Python(TimeSpan.FromMinutes(1), "-c", $$"""
            import numpy as np
            X = np.load('{{file}}').astype(np.float64)
            n, p = X.shape
            X = X - X.mean(axis=0)
            S = X.T @ X / n
            mu = np.trace(S) / p
            delta_ = np.sum(S ** 2)
            beta_ = np.sum((X ** 2).T @ (X ** 2))
            beta = 1.0 / (p * n) * (beta_ / n - delta_)
            delta = (delta_ - 2.0 * mu * np.trace(S) + p * mu ** 2) / p
            s = min(beta, delta) / delta
            P = np.linalg.inv((1 - s) * S + s * mu * np.eye(p))
            print(repr(s)); print(' '.join(repr(v) for v in P.flatten()))
            """);
        Directory.Delete(folder, recursive: true);
        Assert.True(code == 0, output);
        var lines = output.Trim().Split('\n');
        var shrinkage = double.Parse(lines[0], CultureInfo.InvariantCulture);
        var precision = lines[1].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(shrinkage, stats.Shrinkage, 6);
        Assert.InRange(shrinkage, 0.001, 0.999);
        var scale = precision.Max(Math.Abs);
        for (var i = 0; i < precision.Length; i++)
        {
            Assert.True(Math.Abs(precision[i] - stats.Precision[i]) <= 1e-6 * scale, $"entry {i}: {stats.Precision[i]} vs numpy {precision[i]}");
        }
    }

    [Fact]
    public void Threshold_flags_at_most_the_allowed_share()
    {
        var distances = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        var t = OodStatistics.Threshold(distances, 0.05);
        Assert.Equal(95, t);
        Assert.Equal(5, distances.Count(x => x > t));
        Assert.Equal(100, OodStatistics.Threshold(distances, 0.0));
        Assert.Equal(7, OodStatistics.Threshold([7, 7, 7], 0.5));   // ties: nothing above the threshold
    }
}
