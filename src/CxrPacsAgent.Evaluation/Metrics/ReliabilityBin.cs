namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>One bin of a reliability diagram: the images whose probability fell in [Lower, Upper).</summary>
public sealed record ReliabilityBin(double Lower, double Upper, int Count, double MeanProbability, double PositiveFraction);
