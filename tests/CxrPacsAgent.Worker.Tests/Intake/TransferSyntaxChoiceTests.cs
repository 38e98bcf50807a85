using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg2000;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Worker.Intake;

namespace CxrPacsAgent.Worker.Tests.Intake;

/// <summary>Which proposed transfer syntax intake takes: lossless and decodable first, Explicit over Implicit, else the sender's order.</summary>
public sealed class TransferSyntaxChoiceTests
{
    private const string Implicit = "1.2.840.10008.1.2";
    private const string Explicit = "1.2.840.10008.1.2.1";
    private const string Deflated = "1.2.840.10008.1.2.1.99";
    private const string BigEndian = "1.2.840.10008.1.2.2";
    private const string JpegBaseline = "1.2.840.10008.1.2.4.50";
    private const string JpegLossless = "1.2.840.10008.1.2.4.70";
    private const string JpegLs = "1.2.840.10008.1.2.4.80";
    private const string J2kLossless = "1.2.840.10008.1.2.4.90";
    private const string J2k = "1.2.840.10008.1.2.4.91";
    private const string J2kMultiComponentLossless = "1.2.840.10008.1.2.4.92";   // JPEG 2000 Part 2: not decodable here
    private const string Rle = "1.2.840.10008.1.2.5";

    [Theory]
    [InlineData(Explicit, Implicit, Explicit)]
    [InlineData(Explicit, Implicit, Explicit, Implicit)]
    [InlineData(Explicit, BigEndian, Implicit, Explicit)]
    [InlineData(Implicit, Implicit)]
    // The sender's own lossless compression, as it stores it: no recompression, and smaller on the wire.
    [InlineData(JpegLs, JpegLs, Explicit, Implicit)]
    [InlineData(Rle, Implicit, Rle)]
    [InlineData(Explicit, Explicit, JpegLossless)]
    [InlineData(Deflated, Deflated, Implicit)]
    // Lossless before lossy, decodable before not decodable (JPEG 2000 Part 2), whatever the sender's order.
    [InlineData(Explicit, JpegBaseline, Explicit)]
    [InlineData(Implicit, J2kMultiComponentLossless, Implicit)]
    [InlineData(JpegLossless, J2kMultiComponentLossless, JpegLossless)]
    // JPEG 2000 (Part 1) is decoded through OpenJPEG: the sender's lossless choice stands, and between lossy ones its order.
    [InlineData(J2kLossless, J2kLossless, Implicit)]
    [InlineData(J2kLossless, J2kLossless, JpegLossless)]
    [InlineData(J2k, J2k, JpegBaseline)]
    // Nothing better on offer: stored as it comes, then skipped or flagged by the pipeline.
    [InlineData(J2kLossless, J2kLossless, J2k)]
    [InlineData(J2kMultiComponentLossless, J2kMultiComponentLossless, J2k)]
    [InlineData(J2k, J2k)]
    public void Chooses(string expected, params string[] proposed)
    {
        // The expectations assume OpenJPEG (libopenjp2-7, installed by .ci/run); without it JPEG 2000 ranks as undecodable.
        Assert.True(DicomCodecRegistry.CanDecode(DicomTransferSyntax.Jpeg2000Lossless), OpenJpeg.UnavailableReason);
        Assert.Equal(expected, TransferSyntaxChoice.Choose(proposed));
    }

    [Fact]
    public void Unknown_and_non_transfer_syntax_uids_are_never_chosen()
    {
        Assert.Null(TransferSyntaxChoice.Choose(["1.2.3.4.5.6"]));
        Assert.Null(TransferSyntaxChoice.Choose(["1.2.840.10008.5.1.4.1.1.1"]));
        Assert.Null(TransferSyntaxChoice.Choose([]));
        Assert.Equal(Explicit, TransferSyntaxChoice.Choose(["1.2.3.4.5.6", Explicit]));
        Assert.Equal(Explicit, TransferSyntaxChoice.Choose([Explicit + "\0"])?.TrimEnd('\0'));
    }
}
