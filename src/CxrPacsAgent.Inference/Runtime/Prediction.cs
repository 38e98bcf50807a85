namespace CxrPacsAgent.Inference.Runtime;

/// <summary>
/// One image's result. <see cref="Score"/> is the package's score: its calibrated probability of the positive class
/// when the package is calibrated, else the graph's output. <see cref="Positive"/> and <see cref="Label"/> are the
/// decision at the package threshold (on that same score). A package with OOD statistics adds <see cref="Ood"/>; when
/// it is flagged the model is outside what it learnt, and <see cref="Call"/> is null: no positive or negative call.
/// </summary>
public sealed record Prediction(float Score, bool Positive, string Label, float[] Embedding)
{
    /// <summary>The graph's own output before calibration (equal to <see cref="Score"/> for a package without calibration).</summary>
    public float RawScore { get; init; } = Score;

    /// <summary>Distance from the training distribution and its threshold; null when the package carries no OOD statistics.</summary>
    public OodMeasure? Ood { get; init; }

    public bool OutOfDistribution => Ood?.Flagged == true;

    /// <summary>The call to report: positive or negative, or null when the image is out of distribution.</summary>
    public bool? Call => OutOfDistribution ? null : Positive;

    public double EmbeddingNorm => Math.Sqrt(Embedding.Sum(v => (double)v * v));
}
