namespace CxrPacsAgent.Dicom.Imaging.Codecs;

/// <summary>
/// Decodes the compressed bytes of one frame into its samples: one int per sample, pixel-interleaved (R G B R G B …),
/// each the pixel cell's bits as stored (the caller masks to Bits Stored and sign-extends).
/// </summary>
public interface IDicomFrameDecoder
{
    /// <summary>Short name used in error messages, e.g. "RLE".</summary>
    string Name { get; }

    /// <summary>Decodes <paramref name="frame"/>; <paramref name="samples"/> has exactly <see cref="PixelDescription.SampleCount"/> elements.</summary>
    void Decode(ReadOnlySpan<byte> frame, PixelDescription description, Span<int> samples);

    /// <summary>The photometric interpretation of the decoded samples (a YCbCr JPEG comes out as RGB).</summary>
    string DecodedPhotometricInterpretation(PixelDescription description) => description.PhotometricInterpretation;
}

/// <summary>Encodes one frame, given as pixel-interleaved cells (one int per sample), into compressed bytes.</summary>
public interface IDicomFrameEncoder
{
    string Name { get; }

    byte[] Encode(ReadOnlySpan<int> samples, PixelDescription description);
}
