using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.IO;

using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Imaging.Codecs;

/// <summary>
/// Each decoder against DCMTK's decompressor (dcmdjpeg, dcmdjpls, dcmdrle) on files DCMTK compressed: lossless ones
/// and DCT ones alike must be sample-exact (lossless ones also equal the source).
/// </summary>
[Collection(PixelSamplesCollection.Name)]
public sealed class CodecConformanceTests(PixelSamplesFixture samples)
{
    public static TheoryData<string> Cases() => CodecCases.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decoded_samples_equal_DCMTK_decompression(string name)
    {
        var c = CodecCases.Get(name);
        var compressed = DicomFile.Open(samples.CompressedPath(c));
        Assert.True(compressed.TransferSyntax.IsEncapsulated, $"{c.Compressor} did not compress {name}");
        var ours = PixelSamplesFixture.OurPixels(samples.CompressedPath(c));
        var reference = PixelSamplesFixture.OurPixels(samples.ReferencePath(c));
        Assert.Equal(reference.Length, ours.Length);
        PixelSamplesFixture.AssertEqualSamples(reference, ours, name);
        if (!compressed.TransferSyntax.IsLossy && !c.Options.Contains("+pt"))
        {
            PixelSamplesFixture.AssertEqualSamples(PixelSamplesFixture.OurPixels(samples.SourcePath(c)), ours, name + " vs source");
        }
        // The decoded photometric interpretation is the one DCMTK writes after decompression.
        Assert.Equal(DicomFile.Open(samples.ReferencePath(c)).Dataset.GetString(CxrPacsAgent.Dicom.Data.DicomTags.PhotometricInterpretation),
            DicomPixelData.GetDecodedPhotometricInterpretation(compressed.Dataset, compressed.TransferSyntax));
    }
}
