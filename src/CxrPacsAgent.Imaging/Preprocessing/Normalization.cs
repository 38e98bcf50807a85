namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>
/// How a model wants its input channels: value = (pixel·Scale − Mean[c]) / Std[c], for the channels in model order.
/// A [0,1] pixel is multiplied by <see cref="Scale"/> first (255 for "0–255" models, 1 for "0–1" models).
/// The model package's <c>model.json</c> supplies this.
/// </summary>
public sealed record Normalization(float Scale, IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    /// <summary>
    /// The default backbone (ImageNet ResNet, CNTK export): RGB 0–255 reordered to BGR minus the per-channel BGR mean
    /// (B 103.1, G 115.9, R 123.2), no std. Channel order here is the tensor's: [image, lung map, zeros] feed B, G, R.
    /// </summary>
    public static Normalization ResNetBgrMean { get; } = new(255f, [103.1f, 115.9f, 123.2f], [1f, 1f, 1f]);

    /// <summary>torchvision's ImageNet convention: 0–1 scale, RGB mean/std.</summary>
    public static Normalization ImageNetTorchvision { get; } = new(1f, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>No change: channels stay in [0,1].</summary>
    public static Normalization Identity { get; } = new(1f, [0f, 0f, 0f], [1f, 1f, 1f]);

    public float Apply(float value, int channel) => ((value * Scale) - Mean[channel]) / Std[channel];

    /// <summary>Checks the record before any pixel is touched (a bad model.json must fail loudly, once).</summary>
    public void Validate(int channels)
    {
        if (Mean.Count != channels || Std.Count != channels)
        {
            throw new ArgumentException($"Normalization needs {channels} means and stds, got {Mean.Count} and {Std.Count}.");
        }
        if (!float.IsFinite(Scale) || Scale <= 0 || Std.Any(s => !float.IsFinite(s) || s <= 0) || Mean.Any(m => !float.IsFinite(m)))
        {
            throw new ArgumentException("Normalization needs a positive scale, finite means and positive stds.");
        }
    }
}
