using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Dicom.Tests.Imaging.Codecs;

/// <summary>
/// The registry answers what the network layer may accept: every syntax we decode, JPEG 2000 exactly when OpenJPEG is
/// there, nothing else.
/// </summary>
public sealed class CodecRegistryTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.2", true)]
    [InlineData("1.2.840.10008.1.2.1", true)]
    [InlineData("1.2.840.10008.1.2.1.99", true)]
    [InlineData("1.2.840.10008.1.2.2", true)]
    [InlineData("1.2.840.10008.1.2.1.98", true)]
    [InlineData("1.2.840.10008.1.2.4.50", true)]
    [InlineData("1.2.840.10008.1.2.4.51", true)]
    [InlineData("1.2.840.10008.1.2.4.57", true)]
    [InlineData("1.2.840.10008.1.2.4.70", true)]
    [InlineData("1.2.840.10008.1.2.4.80", true)]
    [InlineData("1.2.840.10008.1.2.4.81", true)]
    [InlineData("1.2.840.10008.1.2.5", true)]
    [InlineData("1.2.840.10008.1.2.4.201", false)]
    [InlineData("1.2.840.10008.1.2.4.100", false)]
    [InlineData("1.2.3.4.5.private", false)]
    public void CanDecode_matches_the_codecs_present(string uid, bool expected) =>
        Assert.Equal(expected, DicomCodecRegistry.CanDecode(DicomTransferSyntax.Lookup(uid)));

    [Theory]
    [InlineData("1.2.840.10008.1.2.4.90")]
    [InlineData("1.2.840.10008.1.2.4.91")]
    public void Jpeg_2000_is_decodable_exactly_when_openjpeg_loads(string uid)
    {
        var syntax = DicomTransferSyntax.Lookup(uid);
        Assert.Equal(Dicom.Imaging.Codecs.Jpeg2000.OpenJpeg.IsAvailable, DicomCodecRegistry.CanDecode(syntax));
        Assert.Equal(Dicom.Imaging.Codecs.Jpeg2000.OpenJpeg.IsAvailable ? "" : $"no decoder for pixel data in {syntax}: {Dicom.Imaging.Codecs.Jpeg2000.OpenJpeg.UnavailableReason}",
            DicomCodecRegistry.WhyCannotDecode(syntax));
    }

    [Fact]
    public void Only_RLE_and_native_can_be_encoded()
    {
        Assert.True(DicomCodecRegistry.CanEncode(DicomTransferSyntax.RleLossless));
        Assert.True(DicomCodecRegistry.CanEncode(DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.False(DicomCodecRegistry.CanEncode(DicomTransferSyntax.JpegLossless));
        Assert.False(DicomCodecRegistry.CanEncode(DicomTransferSyntax.ExplicitVRBigEndian));
    }
}
