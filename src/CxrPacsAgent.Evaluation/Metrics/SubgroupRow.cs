namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>The headline metrics of the images whose labels.csv <see cref="Column"/> holds <see cref="Value"/>.</summary>
public sealed record SubgroupRow(string Column, string Value, BinaryMetrics Metrics, int OodFlagged, int Skipped);
