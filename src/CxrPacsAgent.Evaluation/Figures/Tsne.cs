using CxrPacsAgent.Evaluation.Metrics;

namespace CxrPacsAgent.Evaluation.Figures;

/// <summary>
/// Exact t-SNE (van der Maaten &amp; Hinton 2008) to 2-D, for the embedding plot. O(n²) per iteration, fine for the
/// few thousand images of an evaluation. Seeded: same input and seed, same picture.
/// </summary>
public static class Tsne
{
    public static double[][] Embed(IReadOnlyList<float[]> points, double perplexity = 30, int iterations = 750, int seed = 7)
    {
        ArgumentNullException.ThrowIfNull(points);
        var n = points.Count;
        if (n < 3)
        {
            return [.. points.Select(_ => new double[2])];
        }
        var p = Affinities(points, Math.Min(perplexity, (n - 1) / 3.0));
        var random = new Random(seed);
        var y = new double[n, 2];
        for (var i = 0; i < n; i++)
        {
            y[i, 0] = Gaussian(random) * 1e-4;
            y[i, 1] = Gaussian(random) * 1e-4;
        }
        var velocity = new double[n, 2];
        var gains = new double[n, 2];
        for (var i = 0; i < n; i++) { gains[i, 0] = gains[i, 1] = 1; }
        var q = new double[n * n];
        // sklearn's "auto" rate: large fixed rates make small sets diverge.
        var learningRate = Math.Max(n / 12.0 / 4, 50);
        var grad = new double[n, 2];
        for (var it = 0; it < iterations; it++)
        {
            var exaggeration = it < 250 ? 12.0 : 1.0;
            var momentum = it < 250 ? 0.5 : 0.8;
            double sumQ = 0;
            for (var i = 0; i < n; i++)
            {
                for (var j = i + 1; j < n; j++)
                {
                    var dx = y[i, 0] - y[j, 0];
                    var dy = y[i, 1] - y[j, 1];
                    var v = 1 / (1 + (dx * dx) + (dy * dy));
                    q[(i * n) + j] = q[(j * n) + i] = v;
                    sumQ += 2 * v;
                }
            }
            for (var i = 0; i < n; i++)
            {
                double gx = 0, gy = 0;
                for (var j = 0; j < n; j++)
                {
                    if (i == j) { continue; }
                    var num = q[(i * n) + j];
                    var mult = ((exaggeration * p[(i * n) + j]) - (num / sumQ)) * num;
                    gx += 4 * mult * (y[i, 0] - y[j, 0]);
                    gy += 4 * mult * (y[i, 1] - y[j, 1]);
                }
                grad[i, 0] = gx;
                grad[i, 1] = gy;
            }
            // All gradients from the same positions, then one step for every point.
            for (var i = 0; i < n; i++)
            {
                Step(y, velocity, gains, i, 0, grad[i, 0], momentum, learningRate);
                Step(y, velocity, gains, i, 1, grad[i, 1], momentum, learningRate);
            }
        }
        return [.. Enumerable.Range(0, n).Select(i => new[] { y[i, 0], y[i, 1] })];
    }

    private static void Step(double[,] y, double[,] velocity, double[,] gains, int i, int d, double grad, double momentum, double rate)
    {
        // Delta-bar-delta gains, as in the reference implementation: faster where the gradient keeps its sign.
        gains[i, d] = Math.Sign(grad) != Math.Sign(velocity[i, d]) ? gains[i, d] + 0.2 : Math.Max(gains[i, d] * 0.8, 0.01);
        velocity[i, d] = (momentum * velocity[i, d]) - (rate * gains[i, d] * grad);
        y[i, d] += velocity[i, d];
    }

    /// <summary>Symmetrised joint probabilities P, each row's Gaussian width found by bisection to match the perplexity.</summary>
    internal static double[] Affinities(IReadOnlyList<float[]> x, double perplexity)
    {
        var n = x.Count;
        var d = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                d[(i * n) + j] = d[(j * n) + i] = KnnVote.SquaredDistance(x[i], x[j]);
            }
        }
        var p = new double[n * n];
        var target = Math.Log(perplexity);
        var row = new double[n];
        for (var i = 0; i < n; i++)
        {
            double beta = 1, lo = double.NegativeInfinity, hi = double.PositiveInfinity;
            for (var step = 0; step < 64; step++)
            {
                double sum = 0, weighted = 0;
                for (var j = 0; j < n; j++)
                {
                    row[j] = j == i ? 0 : Math.Exp(-d[(i * n) + j] * beta);
                    sum += row[j];
                    weighted += d[(i * n) + j] * row[j];
                }
                sum = Math.Max(sum, 1e-300);
                var entropy = Math.Log(sum) + (beta * weighted / sum);
                if (Math.Abs(entropy - target) < 1e-5) { break; }
                if (entropy > target)
                {
                    lo = beta;
                    beta = double.IsPositiveInfinity(hi) ? beta * 2 : (beta + hi) / 2;
                }
                else
                {
                    hi = beta;
                    beta = double.IsNegativeInfinity(lo) ? beta / 2 : (beta + lo) / 2;
                }
            }
            var total = Math.Max(row.Sum(), 1e-300);
            for (var j = 0; j < n; j++) { p[(i * n) + j] = row[j] / total; }
        }
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var v = Math.Max((p[(i * n) + j] + p[(j * n) + i]) / (2 * n), 1e-12);
                p[(i * n) + j] = p[(j * n) + i] = v;
            }
        }
        return p;
    }

    private static double Gaussian(Random r) =>
        Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
