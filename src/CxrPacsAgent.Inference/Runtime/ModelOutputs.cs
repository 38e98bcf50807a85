namespace CxrPacsAgent.Inference.Runtime;

/// <summary>Raw outputs of a batch: scores [N] and embeddings [N×D], row-major.</summary>
public sealed record ModelOutputs(float[] Scores, float[] Embeddings, int EmbeddingSize)
{
    public float[] EmbeddingOf(int i) => Embeddings.AsSpan(i * EmbeddingSize, EmbeddingSize).ToArray();
}
