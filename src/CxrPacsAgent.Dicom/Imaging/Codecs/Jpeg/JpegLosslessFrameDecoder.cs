namespace CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// JPEG Lossless, Process 14 (any predictor) and its Selection Value 1 subset (PS3.5 A.4.1, T.81 Annex H). A DCT stream
/// mislabelled with this syntax is decoded as what its SOF marker says.
/// </summary>
public sealed class JpegLosslessFrameDecoder : IDicomFrameDecoder
{
    public string Name => "JPEG lossless";

    public void Decode(ReadOnlySpan<byte> frame, PixelDescription description, Span<int> samples) =>
        JpegFrameOutput.Decode(frame, description, samples, Name);
}
