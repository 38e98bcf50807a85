namespace CxrPacsAgent.Imaging.Preprocessing;

/// <summary>A channel-first (CHW) float tensor for one image: channel c, row y, column x at (c·H + y)·W + x.</summary>
public sealed class InputTensor
{
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

    /// <summary>The paper's input: [image, lung probability map, zeros], each normalised for its channel.</summary>
    public static InputTensor FromChannels(GrayImage image, GrayImage lungMap, Normalization normalization)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(lungMap);
        ArgumentNullException.ThrowIfNull(normalization);
        normalization.Validate(3);
        if (lungMap.Width != image.Width || lungMap.Height != image.Height)
        {
            throw new ArgumentException("The lung map must have the image's size.", nameof(lungMap));
        }
        var tensor = new InputTensor(3, image.Height, image.Width);
        Fill(tensor.Channel(0), image.Pixels, normalization, 0);
        Fill(tensor.Channel(1), lungMap.Pixels, normalization, 1);
        tensor.Channel(2).Fill(normalization.Apply(0f, 2));
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
