namespace CxrPacsAgent.Inference.Monitoring;

/// <summary>A rate now against the package reference's: the z statistic of the rise and whether it counts as moved.</summary>
public sealed record RateChange(string Name, double Reference, double Recent, int Count, double Z, bool Moved);
