using CxrPacsAgent.Inference.Runtime;

namespace CxrPacsAgent.Evaluation.Calibration;

/// <summary>
/// Fits Platt scaling, probability = σ(slope·logit(raw) + intercept), by Newton's method with a backtracking line
/// search on the log-likelihood (Lin, Lin &amp; Weng 2007), with Platt's (1999) smoothed targets — (N₊ + 1)/(N₊ + 2) for
/// positives, 1/(N₋ + 2) for negatives — so that a set the model separates perfectly still gives a finite slope.
/// </summary>
public static class PlattFit
{
    public static (double Slope, double Intercept) Fit(IReadOnlyList<double> rawScores, IReadOnlyList<bool> truth)
    {
        ArgumentNullException.ThrowIfNull(rawScores);
        ArgumentNullException.ThrowIfNull(truth);
        var n = rawScores.Count;
        var positives = truth.Count(t => t);
        if (n != truth.Count || positives == 0 || positives == n)
        {
            throw new ArgumentException($"calibration needs both classes (got {positives} positives of {n})");
        }
        double hi = (positives + 1.0) / (positives + 2.0), lo = 1.0 / (n - positives + 2.0);
        var x = rawScores.Select(ScoreCalibration.Logit).ToArray();
        var y = truth.Select(t => t ? hi : lo).ToArray();
        double a = 1, b = 0;
        var loss = Loss(x, y, a, b);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double ga = 0, gb = 0, haa = 1e-12, hab = 0, hbb = 1e-12;
            for (var i = 0; i < n; i++)
            {
                var p = Sigmoid((a * x[i]) + b);
                var r = p - y[i];
                var w = p * (1 - p);
                ga += r * x[i];
                gb += r;
                haa += w * x[i] * x[i];
                hab += w * x[i];
                hbb += w;
            }
            if (Math.Abs(ga) < 1e-9 * n && Math.Abs(gb) < 1e-9 * n)
            {
                break;
            }
            var det = (haa * hbb) - (hab * hab);
            var da = ((hbb * ga) - (hab * gb)) / det;
            var db = ((haa * gb) - (hab * ga)) / det;
            // Halve the Newton step until the loss falls enough (Armijo).
            var step = 1.0;
            var decrease = (ga * da) + (gb * db);
            while (step > 1e-10)
            {
                var candidate = Loss(x, y, a - (step * da), b - (step * db));
                if (candidate <= loss - (1e-4 * step * decrease))
                {
                    loss = candidate;
                    break;
                }
                step /= 2;
            }
            if (step <= 1e-10)
            {
                break;
            }
            a -= step * da;
            b -= step * db;
        }
        return (a, b);
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Cross-entropy against the smoothed targets, in a form that does not overflow for large |z|.</summary>
    private static double Loss(double[] x, double[] y, double a, double b)
    {
        double loss = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var z = (a * x[i]) + b;
            // −[y log σ(z) + (1 − y) log(1 − σ(z))] = log(1 + e^z) − y·z, with log(1 + e^z) computed stably.
            var softplus = z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
            loss += softplus - (y[i] * z);
        }
        return loss;
    }
}
