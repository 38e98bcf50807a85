namespace CxrPacsAgent.Inference.Runtime;

/// <summary>How far one image lies from the package's training distribution, and whether that is too far.</summary>
/// <param name="Distance">The package's distance of the image's features from the training images' (k-th nearest neighbour's cosine distance, or Mahalanobis).</param>
/// <param name="Threshold">The package's limit (chosen so that at most 5 % of held-out in-distribution images exceed it).</param>
public sealed record OodMeasure(double Distance, double Threshold)
{
    /// <summary>Out of distribution: the model has not learnt images like this one, so its score says little.</summary>
    public bool Flagged => Distance > Threshold;
}
