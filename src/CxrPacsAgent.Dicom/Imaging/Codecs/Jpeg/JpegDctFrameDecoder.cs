namespace CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// JPEG Baseline (Process 1, 8 bit) and Extended (Process 2/4, 12 bit) with Huffman coding (PS3.5 A.4.1, T.81 Annex F).
/// Three-component YBR_FULL(_422) data, or RGB data that an Adobe APP14 marker says was transformed, comes out as RGB.
/// A lossless stream mislabelled with this syntax is decoded as what its SOF marker says.
/// </summary>
public sealed class JpegDctFrameDecoder : IDicomFrameDecoder
{
    public string Name => "JPEG baseline";

    public void Decode(ReadOnlySpan<byte> frame, PixelDescription description, Span<int> samples) =>
        JpegFrameOutput.Decode(frame, description, samples, Name);

    public string DecodedPhotometricInterpretation(PixelDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return JpegFrameOutput.IsYbr(description.PhotometricInterpretation) ? "RGB" : description.PhotometricInterpretation;
    }
}
