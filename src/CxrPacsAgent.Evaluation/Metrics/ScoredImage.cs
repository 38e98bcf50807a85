namespace CxrPacsAgent.Evaluation.Metrics;

/// <summary>One evaluated image: ground truth, the model's score and embedding.</summary>
public sealed record ScoredImage(string Path, bool Truth, double Score, float[] Embedding);
