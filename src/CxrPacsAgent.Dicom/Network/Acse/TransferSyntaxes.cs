using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Dicom.Network.Acse;

/// <summary>Transfer syntax lists used in negotiation.</summary>
public static class TransferSyntaxes
{
    /// <summary>The native (uncompressed) syntaxes, little endian first, as we offer and prefer them.</summary>
    public static IReadOnlyList<string> Uncompressed { get; } =
    [
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRBigEndian.Uid,
    ];

    /// <summary>
    /// What a store SCP accepts by default, in order of preference: uncompressed, then deflated, then the compressed
    /// syntaxes we can decode, which are stored as received. A syntax without a decoder here (JPEG 2000) is never
    /// accepted, so a sender falls back to one whose pixels the agent can read.
    /// </summary>
    public static IReadOnlyList<string> StorageDefault { get; } =
    [
        .. new[]
        {
            DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.ImplicitVRLittleEndian,
            DicomTransferSyntax.DeflatedExplicitVRLittleEndian, DicomTransferSyntax.ExplicitVRBigEndian,
            DicomTransferSyntax.JpegLosslessSV1, DicomTransferSyntax.JpegLossless, DicomTransferSyntax.JpegLSLossless,
            DicomTransferSyntax.RleLossless, DicomTransferSyntax.JpegBaseline8Bit, DicomTransferSyntax.JpegExtended12Bit,
            DicomTransferSyntax.JpegLSNearLossless, DicomTransferSyntax.Jpeg2000Lossless, DicomTransferSyntax.Jpeg2000,
        }.Where(ts => !ts.IsEncapsulated || DicomCodecRegistry.CanDecode(ts)).Select(ts => ts.Uid),
    ];

    public static bool IsUncompressed(string uid) => Uncompressed.Contains(uid, StringComparer.Ordinal);
}
