namespace CxrPacsAgent.Worker.Results;

/// <summary>
/// Whether the image lies outside the model's training distribution, and by how much when a distance is known
/// (e.g. the embedding's distance to the training set against the package's limit).
/// </summary>
public sealed record OutOfDistribution(bool Flagged, double? Distance = null, double? Limit = null);
