using CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg;
using CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg2000;
using CxrPacsAgent.Dicom.Imaging.Codecs.JpegLs;
using CxrPacsAgent.Dicom.Imaging.Codecs.Rle;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Dicom.Imaging.Codecs;

/// <summary>
/// Which transfer syntaxes' pixel data this toolkit can decode and encode. The network layer asks
/// <see cref="CanDecode"/> before accepting a presentation context, so that nothing is stored that cannot be read.
/// </summary>
public static class DicomCodecRegistry
{
    private static readonly JpegDctFrameDecoder Dct = new();
    private static readonly JpegLosslessFrameDecoder Lossless = new();
    private static readonly JpegLsFrameDecoder JpegLs = new();
    private static readonly RleFrameDecoder Rle = new();
    private static readonly EncapsulatedUncompressedFrameDecoder Uncompressed = new();

    private static readonly Dictionary<string, IDicomFrameDecoder> Decoders = new Dictionary<string, IDicomFrameDecoder>(StringComparer.Ordinal)
    {
        [DicomTransferSyntax.JpegBaseline8Bit.Uid] = Dct,
        [DicomTransferSyntax.JpegExtended12Bit.Uid] = Dct,
        [DicomTransferSyntax.JpegLossless.Uid] = Lossless,
        [DicomTransferSyntax.JpegLosslessSV1.Uid] = Lossless,
        [DicomTransferSyntax.JpegLSLossless.Uid] = JpegLs,
        [DicomTransferSyntax.JpegLSNearLossless.Uid] = JpegLs,
        [DicomTransferSyntax.RleLossless.Uid] = Rle,
        [DicomTransferSyntax.EncapsulatedUncompressedExplicitVRLittleEndian.Uid] = Uncompressed,
    }.WithJpeg2000();

    private static readonly Dictionary<string, IDicomFrameEncoder> Encoders = new(StringComparer.Ordinal)
    {
        [DicomTransferSyntax.RleLossless.Uid] = new RleFrameEncoder(),
    };

    /// <summary>JPEG 2000 through OpenJPEG, when the library is there (<see cref="OpenJpeg.UnavailableReason"/> says why not).</summary>
    private static Dictionary<string, IDicomFrameDecoder> WithJpeg2000(this Dictionary<string, IDicomFrameDecoder> decoders)
    {
        if (OpenJpeg.IsAvailable)
        {
            var jpeg2000 = new Jpeg2000FrameDecoder();
            decoders[DicomTransferSyntax.Jpeg2000Lossless.Uid] = jpeg2000;
            decoders[DicomTransferSyntax.Jpeg2000.Uid] = jpeg2000;
        }
        return decoders;
    }

    /// <summary>True when pixel data in <paramref name="syntax"/> can be read: native syntaxes, or a codec is registered.</summary>
    public static bool CanDecode(DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        return !syntax.IsEncapsulated || Decoders.ContainsKey(syntax.Uid);
    }

    /// <summary>True when native pixel data can be written in <paramref name="syntax"/>.</summary>
    public static bool CanEncode(DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        return (!syntax.IsEncapsulated && syntax.IsWritable) || Encoders.ContainsKey(syntax.Uid);
    }

    public static IDicomFrameDecoder GetDecoder(DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        return Decoders.TryGetValue(syntax.Uid, out var decoder) ? decoder : throw new DicomPixelDataException(WhyCannotDecode(syntax));
    }

    /// <summary>Why pixel data in <paramref name="syntax"/> cannot be read here (e.g. the OpenJPEG library is missing); "" when it can.</summary>
    public static string WhyCannotDecode(DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        if (CanDecode(syntax))
        {
            return "";
        }
        return syntax == DicomTransferSyntax.Jpeg2000Lossless || syntax == DicomTransferSyntax.Jpeg2000
            ? $"no decoder for pixel data in {syntax}: {OpenJpeg.UnavailableReason}"
            : $"no decoder for pixel data in {syntax}";
    }

    public static IDicomFrameEncoder GetEncoder(DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        return Encoders.TryGetValue(syntax.Uid, out var encoder) ? encoder
            : throw new DicomPixelDataException($"no encoder for pixel data in {syntax}");
    }
}
