using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Imaging;

/// <summary>Decompression to native writes files that pydicom reads back as the samples we decoded.</summary>
[Collection(PixelSamplesCollection.Name)]
public sealed class TranscoderTests(PixelSamplesFixture samples)
{
    [Theory]
    [InlineData("crop12_2_p14_sv3")]
    [InlineData("crop8_1_jpegls")]
    [InlineData("rgb8_baseline_422")]
    [InlineData("rgb8_jpegls_none")]
    [InlineData("crop16_1_rle")]
    public void Decompressed_file_reads_back_in_pydicom(string name)
    {
        using var temp = new TempDirectory("cxr-transcode");
        var compressed = DicomFile.Open(samples.CompressedPath(CodecCases.Get(name)));
        var native = DicomPixelTranscoder.Transcode(compressed.Dataset, compressed.TransferSyntax, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.IsType<DicomElement>(native[DicomTags.PixelData]);
        var path = temp.File("native.dcm");
        new DicomFile(compressed.FileMetaInformation, native).Save(path, DicomTransferSyntax.ExplicitVRLittleEndian);
        ExternalProcess.Python(RepositoryPaths.TestSource("Imaging/pydicom_pixels.py"), [path]);
        var expected = PixelSamplesFixture.OurPixels(samples.CompressedPath(CodecCases.Get(name)));
        PixelSamplesFixture.AssertEqualSamples(expected, PixelSamplesFixture.PydicomPixels(path), name);
        Assert.Equal(DicomPixelData.GetDecodedPhotometricInterpretation(compressed.Dataset, compressed.TransferSyntax),
            native.GetString(DicomTags.PhotometricInterpretation));
    }
}
