namespace CxrPacsAgent.Worker.State;

/// <summary>
/// The model's verdict on one instance, recorded durably so that a restart does not score it again.
/// </summary>
/// <param name="Score">Probability of the positive class.</param>
/// <param name="Label">The call at the threshold; null when the model makes no call (out of distribution).</param>
/// <param name="Model">Package name and version, as the manifest gives them.</param>
/// <param name="LossySource">The source pixels were lossy-compressed; the result says so.</param>
public sealed record ScoreRecord(
    float Score,
    string? Label,
    double Threshold,
    string Model,
    string ModelVersion,
    float[] Embedding,
    bool LossySource);
