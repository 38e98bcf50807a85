using System.Numerics.Tensors;

namespace CxrPacsAgent.Retrieval.Vectors;

/// <summary>Cosine similarity is the dot product of unit vectors: every vector is normalised once, on the way in.</summary>
public static class UnitVector
{
    /// <summary>Writes <paramref name="vector"/> / ‖<paramref name="vector"/>‖ to <paramref name="destination"/>.</summary>
    /// <exception cref="RetrievalException">NaN or infinite values, or a zero vector (<see cref="RetrievalError.InvalidEmbedding"/>).</exception>
    public static void Normalize(ReadOnlySpan<float> vector, Span<float> destination)
    {
        if (destination.Length != vector.Length)
        {
            throw new ArgumentException($"destination has {destination.Length} elements, the vector {vector.Length}", nameof(destination));
        }
        var norm = TensorPrimitives.Norm(vector);
        if (!float.IsFinite(norm) || norm == 0)
        {
            throw new RetrievalException(RetrievalError.InvalidEmbedding, float.IsFinite(norm)
                ? "the embedding is all zeros: it has no direction to compare"
                : "the embedding holds NaN or infinite values");
        }
        TensorPrimitives.Divide(vector, norm, destination);
    }

    public static float[] Normalize(ReadOnlySpan<float> vector)
    {
        var result = new float[vector.Length];
        Normalize(vector, result);
        return result;
    }
}
