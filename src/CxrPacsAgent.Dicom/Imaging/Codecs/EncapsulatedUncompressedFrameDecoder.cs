namespace CxrPacsAgent.Dicom.Imaging.Codecs;

/// <summary>Encapsulated Uncompressed (PS3.5 A.4.11): each frame's fragments hold its native pixel cells.</summary>
internal sealed class EncapsulatedUncompressedFrameDecoder : IDicomFrameDecoder
{
    public string Name => "encapsulated uncompressed";

    public void Decode(ReadOnlySpan<byte> frame, PixelDescription description, Span<int> samples)
    {
        var needed = (description.FrameBits + 7) / 8;
        if (frame.Length < needed)
        {
            throw new DicomCodecException(Name, $"the frame has {frame.Length} bytes; {needed} are needed", frame.Length);
        }
        NativeSamples.Unpack(frame, description, 0, samples);
    }
}
