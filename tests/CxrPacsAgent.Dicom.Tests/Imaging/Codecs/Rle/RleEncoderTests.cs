using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.Imaging.Codecs.Rle;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;
using CsCheck;

namespace CxrPacsAgent.Dicom.Tests.Imaging.Codecs.Rle;

/// <summary>Our RLE encoder's output decodes with dcmdrle (and with our decoder) to the very same samples.</summary>
[Collection(PixelSamplesCollection.Name)]
public sealed class RleEncoderTests(PixelSamplesFixture samples)
{
    [Theory]
    [InlineData("source/cxr16.dcm")]
    [InlineData("source/rgb8.dcm")]
    [InlineData("source/flat12.dcm")]
    [InlineData("native/frames3_s16.dcm")]
    [InlineData("native/frames2_rgb_planar1.dcm")]
    [InlineData("native/s8.dcm")]
    public void DCMTK_decodes_our_RLE_to_the_original_samples(string relative)
    {
        using var temp = new TempDirectory("cxr-rle");
        var source = Path.Combine(samples.Root, relative);
        var file = DicomFile.Open(source);
        var rle = DicomPixelTranscoder.Transcode(file.Dataset, file.TransferSyntax, DicomTransferSyntax.RleLossless);
        var encoded = temp.File("ours-rle.dcm");
        DicomFile.Create(rle, DicomTransferSyntax.RleLossless).Save(encoded);
        var decoded = temp.File("dcmdrle.dcm");
        PixelSamplesFixture.Run("dcmdrle", [encoded, decoded]);
        var original = PixelSamplesFixture.OurPixels(source);
        PixelSamplesFixture.AssertEqualSamples(original, PixelSamplesFixture.OurPixels(decoded), relative + " via dcmdrle");
        PixelSamplesFixture.AssertEqualSamples(original, PixelSamplesFixture.OurPixels(encoded), relative + " via our decoder");
        if (relative.StartsWith("source/", StringComparison.Ordinal))
        {
            // Images (not random test values) must actually shrink.
            Assert.True(new FileInfo(encoded).Length < new FileInfo(source).Length, $"{relative} did not compress");
        }
    }

    [Fact]
    public void Encode_then_decode_is_the_identity_on_random_rows()
    {
        var encoder = new RleFrameEncoder();
        var decoder = new RleFrameDecoder();
        // Runs and literals of every length, including the 128-byte limits, come out of a small alphabet.
        Gen.Select(Gen.Int[1, 300], Gen.Int[1, 4], Gen.Int[0, 3]).Sample((columns, rows, kind) =>
        {
            var d = new PixelDescription(rows, columns, kind == 3 ? 3 : 1, kind == 0 ? 8 : 16, kind == 0 ? 8 : 16,
                kind == 0 ? 7 : 15, false, kind == 3 ? "RGB" : "MONOCHROME2", 0, 1);
            var random = new Random(columns * 31 + rows);
            var values = new int[d.SampleCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = random.Next(4) == 0 ? random.Next(1 << d.BitsStored) : i / 37 % 3;
            }
            var bytes = encoder.Encode(values, d);
            var back = new int[values.Length];
            decoder.Decode(bytes, d, back);
            Assert.Equal(values, back);
        }, iter: 300);
    }

    [Fact]
    public void Native_to_native_is_a_copy_and_JPEG_targets_are_refused()
    {
        var file = DicomFile.Open(Path.Combine(samples.Root, "native/u16.dcm"));
        Assert.False(DicomPixelTranscoder.CanTranscode(file.TransferSyntax, DicomTransferSyntax.JpegLossless));
        Assert.Throws<DicomPixelDataException>(() =>
            DicomPixelTranscoder.Transcode(file.Dataset, file.TransferSyntax, DicomTransferSyntax.JpegLossless));
        var copy = DicomPixelTranscoder.Transcode(file.Dataset, file.TransferSyntax, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.IsType<DicomElement>(copy[DicomTags.PixelData]);
        Assert.True(DicomCodecRegistry.CanEncode(DicomTransferSyntax.RleLossless));
    }
}
