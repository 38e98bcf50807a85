using System.Security.Cryptography;
using System.Text;
using CxrPacsAgent.Evaluation.Metrics;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;

namespace CxrPacsAgent.Evaluation.Calibration;

/// <summary>
/// How the calibration does on cases it was not fitted on, from the same scored cases: split them in two by patient
/// (a stable hash of the patient id, else of the path), fit Platt scaling on each half, and score the other half with
/// it. The ECE and Brier score of those out-of-fold probabilities are the honest figures; the final calibration is then
/// fitted on all cases. NaN when a half lacks a class.
/// </summary>
public static class CrossFit
{
    public static CalibrationMetrics OutOfFold(IReadOnlyList<double> rawScores, IReadOnlyList<bool> truth, IReadOnlyList<string> groups)
    {
        ArgumentNullException.ThrowIfNull(rawScores);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(groups);
        var fold = groups.Select(g => SHA256.HashData(Encoding.UTF8.GetBytes(g))[0] % 2).ToArray();
        var probabilities = new double[rawScores.Count];
        for (var k = 0; k < 2; k++)
        {
            var train = Enumerable.Range(0, rawScores.Count).Where(i => fold[i] != k).ToArray();
            var positives = train.Count(i => truth[i]);
            if (positives == 0 || positives == train.Length)
            {
                // Too few cases to split: no honest figure rather than a wrong one.
                return new CalibrationMetrics(double.NaN, double.NaN, []);
            }
            var (slope, intercept) = PlattFit.Fit([.. train.Select(i => rawScores[i])], [.. train.Select(i => truth[i])]);
            var spec = new CalibrationSpec { Method = "platt", Slope = slope, Intercept = intercept };
            foreach (var i in Enumerable.Range(0, rawScores.Count).Where(i => fold[i] == k))
            {
                probabilities[i] = ScoreCalibration.Probability(spec, rawScores[i]);
            }
        }
        return CalibrationMetrics.Compute(probabilities, truth);
    }
}
