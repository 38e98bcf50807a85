using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Inference.Runtime;

/// <summary>The package's calibration applied to a raw score: Platt scaling on the logit, or the raw score when there is none.</summary>
public static class ScoreCalibration
{
    /// <summary>Scores are clamped this far from 0 and 1 before the logit, so a saturated softmax stays finite.</summary>
    public const double Epsilon = 1e-7;

    public static double Logit(double score)
    {
        var p = Math.Clamp(score, Epsilon, 1 - Epsilon);
        return Math.Log(p / (1 - p));
    }

    public static double Probability(CalibrationSpec? calibration, double rawScore) => calibration is null
        ? rawScore
        : 1 / (1 + Math.Exp(-((calibration.Slope * Logit(rawScore)) + calibration.Intercept)));
}
