namespace CxrPacsAgent.Dicom.Imaging;

/// <summary>The VOI LUT Function of a window (PS3.3 C.11.2.1.3).</summary>
public enum VoiLutFunction
{
    Linear,
    LinearExact,
    Sigmoid,
}

/// <summary>
/// A window (Window Center c, Window Width w) applied with its VOI LUT Function, mapping modality values to [0, 1]
/// (PS3.3 C.11.2.1.2 with y_min = 0, y_max = 1).
/// </summary>
public readonly record struct VoiWindow(double Center, double Width, VoiLutFunction Function)
{
    public double Apply(double x)
    {
        double c = Center, w = Width;
        switch (Function)
        {
            case VoiLutFunction.LinearExact:
                // C.11.2.1.3.2
                if (x <= c - (w / 2))
                {
                    return 0;
                }
                return x > c + (w / 2) ? 1 : ((x - c) / w) + 0.5;
            case VoiLutFunction.Sigmoid:
                // C.11.2.1.3.1
                return 1 / (1 + Math.Exp(-4 * (x - c) / w));
            default:
                // C.11.2.1.2.1: the centre is offset by half a value and the width by one, for integer inputs.
                if (x <= c - 0.5 - ((w - 1) / 2))
                {
                    return 0;
                }
                return x > c - 0.5 + ((w - 1) / 2) ? 1 : ((x - (c - 0.5)) / (w - 1)) + 0.5;
        }
    }
}
