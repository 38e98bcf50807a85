namespace CxrPacsAgent.Inference.Runtime;

/// <summary>One image's result: the positive-class probability, the decision at the package threshold, and the embedding.</summary>
public sealed record Prediction(float Score, bool Positive, string Label, float[] Embedding)
{
    public double EmbeddingNorm => Math.Sqrt(Embedding.Sum(v => (double)v * v));
}
