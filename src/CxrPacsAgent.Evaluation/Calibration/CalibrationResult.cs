using CxrPacsAgent.Evaluation.Metrics;

namespace CxrPacsAgent.Evaluation.Calibration;

/// <summary>What <c>calibrate</c> fitted and how the fit cases look before and after (in-sample: the same cases).</summary>
public sealed record CalibrationResult(double Slope, double Intercept, OperatingPoint OperatingPoint, int Scored, int Positives, int Skipped,
    CalibrationMetrics Before, CalibrationMetrics After);
