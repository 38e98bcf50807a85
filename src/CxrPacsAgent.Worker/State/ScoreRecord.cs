namespace CxrPacsAgent.Worker.State;

/// <summary>
/// The model's verdict on one instance, recorded durably so that a restart does not score it again.
/// </summary>
/// <param name="Score">The package's score: its calibrated probability of the positive class when the package is calibrated.</param>
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
    bool LossySource)
{
    /// <summary>The score is the package's calibrated probability (model.json has a calibration).</summary>
    public bool Calibrated { get; init; }

    /// <summary>Distance from the training distribution and the package's limit; null when the package has no OOD statistics.</summary>
    public double? OodDistance { get; init; }

    public double? OodThreshold { get; init; }

    /// <summary>
    /// The film as the SC shows it, a small PNG for the admin page: written with the score, never read back with the
    /// job (<see cref="IAdminStore.ThumbnailAsync"/> reads it). Null: none (kept in the store so every agent can show it).
    /// </summary>
    public byte[]? Thumbnail { get; init; }

    /// <summary>Outside what the model learnt: <see cref="Label"/> is null then, and the results make no call.</summary>
    public bool OutOfDistribution => OodDistance > OodThreshold;
}
