namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>
/// One evaluated image: ground truth, the package's score (its calibrated probability when the package is calibrated)
/// and embedding; the raw graph output, the patient, the labels file's other columns and the OOD distance when known.
/// </summary>
public sealed record ScoredImage(string Path, bool Truth, double Score, float[] Embedding)
{
    /// <summary>The graph's output before calibration (equal to <see cref="Score"/> when the package has no calibration).</summary>
    public double RawScore { get; init; } = Score;

    public string? PatientId { get; init; }

    /// <summary>Every column of the image's labels.csv row, by name.</summary>
    public IReadOnlyDictionary<string, string> Columns { get; init; } = new Dictionary<string, string>();

    public double? OodDistance { get; init; }

    public bool OutOfDistribution { get; init; }
}
