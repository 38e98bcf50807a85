namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>A percentile bootstrap interval; <see cref="Resamples"/> is how many resamples defined the metric.</summary>
public sealed record ConfidenceInterval(double Lower, double Upper, int Resamples);
