using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Worker.Intake;

/// <summary>
/// Which of a sender's proposed transfer syntaxes intake accepts. Storing needs no decoder, so every syntax is taken
/// rather than fail a router; among them, in order:
/// <list type="number">
/// <item>lossless before lossy, so nothing is recompressed with loss on our account;</item>
/// <item>decodable before not (yet) decodable, so an instance the sender can also send decoded is processed;</item>
/// <item>for the uncompressed ones, Explicit VR Little Endian before the others (Implicit loses private elements' VR and a
/// sender that must transcode to it can fail), then the sender's order;</item>
/// <item>otherwise the sender's order: its first lossless compressed syntax is usually what it stores, sent as it is.</item>
/// </list>
/// Unknown syntax UIDs (not in the registry) are refused, since their encoding cannot be known.
/// </summary>
public static class TransferSyntaxChoice
{
    public static string? Choose(IReadOnlyList<string> proposed)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        return proposed
            .Select((uid, order) => (uid, order, syntax: Known(uid)))
            .Where(c => c.syntax is not null)
            .OrderBy(c => c.syntax!.IsLossy)
            .ThenBy(c => !DicomCodecRegistry.CanDecode(c.syntax!))
            .ThenBy(c => Rank(c.syntax!))
            .ThenBy(c => c.order)
            .Select(c => c.uid)
            .FirstOrDefault();
    }

    /// <summary>
    /// Explicit VR Little Endian ranks with the compressed syntaxes (the sender's order decides between them), then
    /// Implicit VR Little Endian, then the retired big-endian syntax.
    /// </summary>
    private static int Rank(DicomTransferSyntax syntax) =>
        syntax == DicomTransferSyntax.ImplicitVRLittleEndian ? 1 : syntax == DicomTransferSyntax.ExplicitVRBigEndian ? 2 : 0;

    private static DicomTransferSyntax? Known(string uid) =>
        DicomUid.TryGetEntry(uid.TrimEnd('\0', ' '), out var entry) && entry.Type == DicomUidType.TransferSyntax
            ? DicomTransferSyntax.Lookup(uid)
            : null;
}
