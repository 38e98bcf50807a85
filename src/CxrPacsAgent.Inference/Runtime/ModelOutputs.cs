namespace CxrPacsAgent.Inference.Runtime;

/// <summary>Raw outputs of a batch: scores [N] and embeddings [N×D], row-major, and the features that fed the last graph.</summary>
public sealed record ModelOutputs(float[] Scores, float[] Embeddings, int EmbeddingSize)
{
    /// <summary>The last graph's input [N×F]: backbone features for a chain, the model input itself for a single graph.</summary>
    public ReadOnlyMemory<float> Features { get; init; }

    public float[] EmbeddingOf(int i) => Embeddings.AsSpan(i * EmbeddingSize, EmbeddingSize).ToArray();

    /// <summary>Image <paramref name="i"/>'s features (<see cref="Features"/> holds N rows of equal length).</summary>
    public ReadOnlySpan<float> FeaturesOf(int i)
    {
        var per = Features.Length / (Scores.Length == 0 ? 1 : Scores.Length);
        return Features.Span.Slice(i * per, per);
    }
}
