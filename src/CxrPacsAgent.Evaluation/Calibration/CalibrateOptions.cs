namespace CxrPacsAgent.Evaluation.Calibration;

/// <summary>What <c>calibrate</c> is asked to do.</summary>
public sealed record CalibrateOptions(string Output, double TargetSensitivity, string DataDescription, string? Split, string Command,
    string? Version = null);
