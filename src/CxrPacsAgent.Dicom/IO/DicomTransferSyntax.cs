namespace CxrPacsAgent.Dicom.IO;

/// <summary>A transfer syntax (PS3.5 10 and Annex A): how a data set's elements and pixel data are encoded.</summary>
public sealed class DicomTransferSyntax
{
    private DicomTransferSyntax(string uid, string name, bool explicitVR = true, bool littleEndian = true,
        bool deflated = false, bool encapsulated = false, bool lossy = false, bool retired = false)
    {
        Uid = uid;
        Name = name;
        IsExplicitVR = explicitVR;
        IsLittleEndian = littleEndian;
        IsDeflated = deflated;
        IsEncapsulated = encapsulated;
        IsLossy = lossy;
        IsRetired = retired;
    }

    public string Uid { get; }

    public string Name { get; }

    public bool IsExplicitVR { get; }

    public bool IsLittleEndian { get; }

    /// <summary>The data set after the File Meta Information is a raw deflate stream (RFC 1951, PS3.5 A.5).</summary>
    public bool IsDeflated { get; }

    /// <summary>Pixel data is a sequence of compressed fragments (PS3.5 A.4).</summary>
    public bool IsEncapsulated { get; }

    public bool IsLossy { get; }

    public bool IsRetired { get; }

    /// <summary>True for the syntaxes whose data set we can write: native pixel data, little endian.</summary>
    /// <summary>Data sets in this syntax can be written (big endian is read only, as it is retired).</summary>
    public bool IsWritable => IsLittleEndian;

    public override string ToString() => $"{Name} ({Uid})";

    public static readonly DicomTransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", explicitVR: false);
    public static readonly DicomTransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian");
    public static readonly DicomTransferSyntax EncapsulatedUncompressedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian", encapsulated: true);
    public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", deflated: true);
    public static readonly DicomTransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", littleEndian: false, retired: true);
    public static readonly DicomTransferSyntax JpegBaseline8Bit = new("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", encapsulated: true, lossy: true);
    public static readonly DicomTransferSyntax JpegExtended12Bit = new("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 and 4)", encapsulated: true, lossy: true);
    public static readonly DicomTransferSyntax JpegLossless = new("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", encapsulated: true);
    public static readonly DicomTransferSyntax JpegLosslessSV1 = new("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", encapsulated: true);
    public static readonly DicomTransferSyntax JpegLSLossless = new("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression", encapsulated: true);
    public static readonly DicomTransferSyntax JpegLSNearLossless = new("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression", encapsulated: true, lossy: true);
    public static readonly DicomTransferSyntax Jpeg2000Lossless = new("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", encapsulated: true);
    public static readonly DicomTransferSyntax Jpeg2000 = new("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", encapsulated: true, lossy: true);
    public static readonly DicomTransferSyntax RleLossless = new("1.2.840.10008.1.2.5", "RLE Lossless", encapsulated: true);

    private static readonly Dictionary<string, DicomTransferSyntax> Known = new[]
    {
        ImplicitVRLittleEndian, ExplicitVRLittleEndian, EncapsulatedUncompressedExplicitVRLittleEndian,
        DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian, JpegBaseline8Bit, JpegExtended12Bit, JpegLossless,
        JpegLosslessSV1, JpegLSLossless, JpegLSNearLossless, Jpeg2000Lossless, Jpeg2000, RleLossless,
    }.ToDictionary(ts => ts.Uid, StringComparer.Ordinal);

    /// <summary>
    /// The transfer syntax of <paramref name="uid"/>. Any other registered or private syntax is taken to be explicit VR
    /// little endian with encapsulated pixel data, which PS3.5 10.1 requires of every syntax but the three native ones.
    /// </summary>
    public static DicomTransferSyntax Lookup(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var key = uid.TrimEnd('\0', ' ');
        if (Known.TryGetValue(key, out var ts))
        {
            return ts;
        }
        var name = Data.DicomUid.TryGetEntry(key, out var entry) ? entry.Name : $"Unknown transfer syntax {key}";
        return new DicomTransferSyntax(key, name, encapsulated: true);
    }
}
