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
    /// What a store SCP accepts by default, in order of preference: uncompressed, then deflated, then the lossless
    /// and lossy compressed syntaxes, which are stored as received.
    /// </summary>
    public static IReadOnlyList<string> StorageDefault { get; } =
    [
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRBigEndian.Uid,
        DicomTransferSyntax.JpegLosslessSV1.Uid,
        DicomTransferSyntax.JpegLossless.Uid,
        DicomTransferSyntax.JpegLSLossless.Uid,
        DicomTransferSyntax.Jpeg2000Lossless.Uid,
        DicomTransferSyntax.RleLossless.Uid,
        DicomTransferSyntax.JpegBaseline8Bit.Uid,
        DicomTransferSyntax.JpegExtended12Bit.Uid,
        DicomTransferSyntax.JpegLSNearLossless.Uid,
        DicomTransferSyntax.Jpeg2000.Uid,
    ];

    public static bool IsUncompressed(string uid) => Uncompressed.Contains(uid, StringComparer.Ordinal);
}
