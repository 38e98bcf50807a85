using CxrPacsAgent.Evaluation.Metrics;

namespace CxrPacsAgent.Evaluation.Calibration;

/// <summary>
/// What <c>calibrate</c> fitted and how the fit cases look before and after (<paramref name="After"/>: in sample, the
/// same cases; <paramref name="OutOfFold"/>: each half scored by a fit on the other half, by patient).
/// </summary>
public sealed record CalibrationResult(double Slope, double Intercept, OperatingPoint OperatingPoint, int Scored, int Positives, int Skipped,
    CalibrationMetrics Before, CalibrationMetrics After, CalibrationMetrics OutOfFold);
