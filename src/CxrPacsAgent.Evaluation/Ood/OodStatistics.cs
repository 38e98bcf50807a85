namespace CxrPacsAgent.Evaluation.Ood;

/// <summary>
/// The training distribution's mean and precision matrix for the Mahalanobis distance. The covariance is shrunk toward
/// a multiple of the identity by the Ledoit–Wolf (2004) estimate of the optimal shrinkage, so a few hundred images can
/// describe a 512-d feature space without a singular matrix.
/// </summary>
public sealed record OodStatistics(double[] Mean, double[] Precision, double Shrinkage, int Samples)
{
    public int Dimension => Mean.Length;

    public static OodStatistics Fit(IReadOnlyList<float[]> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var n = features.Count;
        if (n < 2)
        {
            throw new ArgumentException("OOD statistics need at least two images");
        }
        var p = features[0].Length;
        var mean = new double[p];
        foreach (var f in features)
        {
            for (var j = 0; j < p; j++)
            {
                mean[j] += f[j] / (double)n;
            }
        }
        var x = new double[n][];
        for (var i = 0; i < n; i++)
        {
            x[i] = new double[p];
            for (var j = 0; j < p; j++)
            {
                x[i][j] = features[i][j] - mean[j];
            }
        }
        var s = new double[p * p];   // empirical covariance XᵀX / n
        var b = new double[p * p];   // Σᵢ xᵢⱼ² xᵢₖ², for the shrinkage's variance term
        Parallel.For(0, p, j =>
        {
            for (var k = j; k < p; k++)
            {
                double sjk = 0, bjk = 0;
                for (var i = 0; i < n; i++)
                {
                    var prod = x[i][j] * x[i][k];
                    sjk += prod;
                    bjk += prod * prod;
                }
                s[(j * p) + k] = s[(k * p) + j] = sjk / n;
                b[(j * p) + k] = b[(k * p) + j] = bjk;
            }
        });
        // Ledoit–Wolf as scikit-learn's ledoit_wolf_shrinkage computes it.
        double mu = 0;
        for (var j = 0; j < p; j++)
        {
            mu += s[(j * p) + j];
        }
        mu /= p;
        double delta = 0, beta = 0;
        for (var j = 0; j < p; j++)
        {
            for (var k = 0; k < p; k++)
            {
                var d = s[(j * p) + k] - (j == k ? mu : 0);
                delta += d * d;
                beta += b[(j * p) + k];
            }
        }
        delta /= p;
        double sumS2 = 0;
        foreach (var v in s)
        {
            sumS2 += v * v;
        }
        beta = ((beta / n) - sumS2) / (p * (double)n);
        var shrinkage = delta == 0 ? 1 : Math.Clamp(Math.Min(beta, delta) / delta, 0, 1);
        var covariance = new double[p * p];
        for (var j = 0; j < p; j++)
        {
            for (var k = 0; k < p; k++)
            {
                covariance[(j * p) + k] = ((1 - shrinkage) * s[(j * p) + k]) + (j == k ? shrinkage * mu : 0);
            }
        }
        return new OodStatistics(mean, SymmetricInverse(covariance, p), shrinkage, n);
    }

    /// <summary>Inverse of a symmetric positive definite matrix by Cholesky factorisation.</summary>
    internal static double[] SymmetricInverse(double[] a, int p)
    {
        var l = new double[p * p];
        for (var j = 0; j < p; j++)
        {
            var sum = a[(j * p) + j];
            for (var k = 0; k < j; k++)
            {
                sum -= l[(j * p) + k] * l[(j * p) + k];
            }
            if (!(sum > 0))
            {
                throw new ArgumentException("the covariance matrix is not positive definite");
            }
            var diagonal = Math.Sqrt(sum);
            l[(j * p) + j] = diagonal;
            for (var i = j + 1; i < p; i++)
            {
                var v = a[(i * p) + j];
                for (var k = 0; k < j; k++)
                {
                    v -= l[(i * p) + k] * l[(j * p) + k];
                }
                l[(i * p) + j] = v / diagonal;
            }
        }
        // L⁻¹ by forward substitution, then A⁻¹ = L⁻ᵀ L⁻¹.
        var inv = new double[p * p];
        for (var c = 0; c < p; c++)
        {
            for (var i = c; i < p; i++)
            {
                var v = i == c ? 1.0 : 0.0;
                for (var k = c; k < i; k++)
                {
                    v -= l[(i * p) + k] * inv[(k * p) + c];
                }
                inv[(i * p) + c] = v / l[(i * p) + i];
            }
        }
        var result = new double[p * p];
        Parallel.For(0, p, i =>
        {
            for (var j = 0; j <= i; j++)
            {
                double v = 0;
                for (var k = i; k < p; k++)
                {
                    v += inv[(k * p) + i] * inv[(k * p) + j];
                }
                result[(i * p) + j] = result[(j * p) + i] = v;
            }
        });
        return result;
    }

    /// <summary>
    /// The distance threshold that flags at most <paramref name="maxFlagged"/> of these in-distribution distances
    /// (strictly greater is flagged).
    /// </summary>
    public static double Threshold(IReadOnlyList<double> distances, double maxFlagged)
    {
        ArgumentNullException.ThrowIfNull(distances);
        if (distances.Count == 0)
        {
            throw new ArgumentException("the threshold needs held-out in-distribution images");
        }
        var sorted = distances.Order().ToArray();
        var allowed = (int)Math.Floor(maxFlagged * sorted.Length);
        return sorted[sorted.Length - 1 - allowed];
    }
}
