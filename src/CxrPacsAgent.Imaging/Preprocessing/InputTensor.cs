namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>
/// The model input for one image, built once: a channel-first (CHW) float tensor, channel c, row y, column x at
/// (c·H + y)·W + x. ONNX Runtime reads <see cref="Data"/> in place (no copy).
/// </summary>
public sealed class InputTensor
{
    /// <summary>The paper's channel layout: [image, lung probability map, zeros].</summary>
    public static IReadOnlyList<InputChannel> PaperChannels { get; } = [InputChannel.Image, InputChannel.LungMap, InputChannel.Zeros];

    public InputTensor(int channels, int height, int width)
    {
        Channels = channels;
        Height = height;
        Width = width;
        Data = new float[checked(channels * height * width)];
    }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

#pragma warning disable CA1819 // Handed to ONNX Runtime as is.
    public float[] Data { get; }
#pragma warning restore CA1819

    public Span<float> Channel(int c) => Data.AsSpan(c * Height * Width, Height * Width);

    /// <summary>
    /// The three channels in <paramref name="layout"/>'s order (default <see cref="PaperChannels"/>), each normalised for
    /// its position: value = (pixel·Scale − Mean[c]) / Std[c].
    /// </summary>
    public static InputTensor FromChannels(GrayImage image, GrayImage lungMap, Normalization normalization,
        IReadOnlyList<InputChannel>? layout = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(lungMap);
        ArgumentNullException.ThrowIfNull(normalization);
        layout ??= PaperChannels;
        normalization.Validate(3);
        if (layout.Count != 3)
        {
            throw new ArgumentException($"The tensor has 3 channels; the layout names {layout.Count}.", nameof(layout));
        }
        if (lungMap.Width != image.Width || lungMap.Height != image.Height)
        {
            throw new ArgumentException("The lung map must have the image's size.", nameof(lungMap));
        }
        var tensor = new InputTensor(3, image.Height, image.Width);
        for (var c = 0; c < 3; c++)
        {
            var target = tensor.Channel(c);
            switch (layout[c])
            {
                case InputChannel.Image:
                    Fill(target, image.Pixels, normalization, c);
                    break;
                case InputChannel.LungMap:
                    Fill(target, lungMap.Pixels, normalization, c);
                    break;
                default:
                    target.Fill(normalization.Apply(0f, c));
                    break;
            }
        }
        return tensor;
    }

    private static void Fill(Span<float> target, float[] source, Normalization normalization, int channel)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = normalization.Apply(source[i], channel);
        }
    }
}
