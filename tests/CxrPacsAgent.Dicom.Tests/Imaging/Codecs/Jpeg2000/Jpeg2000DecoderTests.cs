using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg2000;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Imaging.Codecs.Jpeg2000;

/// <summary>
/// JPEG 2000 through OpenJPEG, sample for sample against two independent decodes: GDCM's (gdcmconv --raw) and
/// OpenJPEG's own command-line tool (opj_decompress, on the codestream taken out of the fragments). Inputs: the shared
/// samples (GDCM-written, lossless YBR_RCT and lossy RGB) and our gdcmconv --j2k encodings of the 16- and 12-bit
/// 2500×2000 chest images. Without libopenjp2 the tests are skipped, naming it.
/// </summary>
[Collection(PixelSamplesCollection.Name)]
public sealed class Jpeg2000DecoderTests(PixelSamplesFixture samples)
{
    /// <summary>Our encodings: name → (source, gdcmconv options).</summary>
    public static TheoryData<string, string, string[]> Encodings() => new()
    {
        { "cxr16_lossless", "cxr16", ["--j2k"] },
        { "cxr16_lossless_tiled", "cxr16", ["--j2k", "-t", "512,512", "-n", "4"] },
        { "cxr12_lossless", "cxr12", ["--j2k"] },
        { "cxr16_lossy", "cxr16", ["--j2k", "--lossy", "--irreversible", "-q", "40"] },
    };

    public static TheoryData<string> SharedSamples() =>
        ["secondary_capture_codecs/pydicom_GDCMJ2K_TextGBR.dcm", "secondary_capture_codecs/pydicom_SC_rgb_gdcm_KY.dcm"];

    [SkippableTheory]
    [MemberData(nameof(SharedSamples))]
    public void Shared_samples_decode_as_gdcm_and_opj_decompress_do(string relative)
    {
        Skip.IfNot(OpenJpeg.IsAvailable, OpenJpeg.UnavailableReason);
        AssertLikeReferences(Path.Combine(RepositoryPaths.DicomSamples, relative), source: null);
    }

    [SkippableTheory]
    [MemberData(nameof(Encodings))]
    public void Our_encodings_of_chest_images_decode_as_gdcm_and_opj_decompress_do(string name, string source, string[] options)
    {
        Skip.IfNot(OpenJpeg.IsAvailable, OpenJpeg.UnavailableReason);
        using var temp = new TempDirectory("cxr-j2k");
        var sourcePath = Path.Combine(samples.Root, "source", source + ".dcm");
        var encoded = temp.File(name + ".dcm");
        PixelSamplesFixture.Run("gdcmconv", [.. options, sourcePath, encoded]);
        var syntax = DicomFile.Open(encoded).TransferSyntax;
        Assert.Equal(options.Contains("--lossy") ? DicomTransferSyntax.Jpeg2000 : DicomTransferSyntax.Jpeg2000Lossless, syntax);
        AssertLikeReferences(encoded, syntax.IsLossy ? null : sourcePath);
    }

    [SkippableFact]
    public void The_registry_and_the_network_accept_jpeg_2000_with_the_library()
    {
        Skip.IfNot(OpenJpeg.IsAvailable, OpenJpeg.UnavailableReason);
        Assert.True(DicomCodecRegistry.CanDecode(DicomTransferSyntax.Jpeg2000Lossless));
        Assert.True(DicomCodecRegistry.CanDecode(DicomTransferSyntax.Jpeg2000));
        Assert.Contains(DicomTransferSyntax.Jpeg2000Lossless.Uid, Dicom.Network.Acse.TransferSyntaxes.StorageDefault);
        Assert.Contains(DicomTransferSyntax.Jpeg2000.Uid, Dicom.Network.Acse.TransferSyntaxes.StorageDefault);
        Assert.StartsWith("2.", OpenJpeg.Version, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_codestream_larger_than_the_frame_declared_is_refused_before_decoding()
    {
        Skip.IfNot(OpenJpeg.IsAvailable, OpenJpeg.UnavailableReason);
        var file = DicomFile.Open(Path.Combine(RepositoryPaths.DicomSamples, "secondary_capture_codecs/pydicom_GDCMJ2K_TextGBR.dcm"));
        using var lease = EncapsulatedFrames.GetFrame(file.Dataset, (DicomFragmentSequence)file.Dataset[DicomTags.PixelData]!, 0, 1);
        var frame = lease.Memory;
        // The data set says 40×40: OpenJPEG must not be asked to decode (and allocate) 400×400.
        var small = PixelDescription.FromDataset(file.Dataset) with { Rows = 40, Columns = 40 };
        var e = Assert.Throws<DicomCodecException>(() => new Jpeg2000FrameDecoder().Decode(frame.Span, small, new int[small.SampleCount]));
        Assert.Equal("component 0 is 400×400; the data set says 40×40", e.Problem);
        var truncated = frame[..(frame.Length / 2)];
        var description = PixelDescription.FromDataset(file.Dataset);
        var cut = Assert.Throws<DicomCodecException>(() => new Jpeg2000FrameDecoder().Decode(truncated.Span, description, new int[description.SampleCount]));
        Assert.Equal("JPEG 2000", cut.Codec);
        Assert.Throws<DicomCodecException>(() => new Jpeg2000FrameDecoder().Decode([0xFF, 0xD8, 0xFF], description, new int[description.SampleCount]));
    }

    /// <summary>Ours equals gdcmconv --raw, opj_decompress and (lossless) the source, sample for sample.</summary>
    private static void AssertLikeReferences(string path, string? source)
    {
        using var temp = new TempDirectory("cxr-j2k-ref");
        var file = DicomFile.Open(path);
        var ours = PixelSamplesFixture.OurPixels(path);
        var raw = temp.File("raw.dcm");
        PixelSamplesFixture.Run("gdcmconv", ["--raw", path, raw]);
        var gdcm = PixelSamplesFixture.OurPixels(raw);
        Assert.True(gdcm.Distinct().Count() > 1, "a blank reference image proves nothing");
        PixelSamplesFixture.AssertEqualSamples(gdcm, ours, $"{Path.GetFileName(path)} against gdcmconv --raw");
        Assert.Equal(DicomFile.Open(raw).Dataset.GetString(DicomTags.PhotometricInterpretation),
            DicomPixelData.GetDecodedPhotometricInterpretation(file.Dataset, file.TransferSyntax));
        PixelSamplesFixture.AssertEqualSamples(OpjDecompress(file, temp), ours, $"{Path.GetFileName(path)} against opj_decompress");
        if (source is not null)
        {
            PixelSamplesFixture.AssertEqualSamples(PixelSamplesFixture.OurPixels(source), ours, $"{Path.GetFileName(path)} against its source");
        }
    }

    /// <summary>
    /// opj_decompress on the frame's codestream, written as RAWL: each component in turn, little endian, one byte per
    /// sample up to 8 bits and two above; returned pixel-interleaved like ours.
    /// </summary>
    private static int[] OpjDecompress(DicomFile file, TempDirectory temp)
    {
        var description = PixelDescription.FromDataset(file.Dataset);
        var codestream = temp.File("frame.j2k");
        using (var frame = EncapsulatedFrames.GetFrame(file.Dataset, (DicomFragmentSequence)file.Dataset[DicomTags.PixelData]!, 0, 1))
        {
            File.WriteAllBytes(codestream, frame.Memory.ToArray());
        }
        var output = temp.File("frame.rawl");
        PixelSamplesFixture.Run("opj_decompress", ["-i", codestream, "-o", output]);
        var bytes = File.ReadAllBytes(output);
        var spp = description.SamplesPerPixel;
        var pixels = description.PixelCount;
        var width = bytes.Length / (pixels * spp);
        Assert.True(width is 1 or 2, $"{bytes.Length} bytes of RAWL for {pixels}×{spp} samples");
        var samples = new int[pixels * spp];
        for (var c = 0; c < spp; c++)
        {
            for (var i = 0; i < pixels; i++)
            {
                var at = ((c * pixels) + i) * width;
                int value = width == 1 ? bytes[at] : BitConverter.ToUInt16(bytes, at);
                samples[(i * spp) + c] = description.IsSigned ? (width == 1 ? (sbyte)value : (short)value) : value;
            }
        }
        return samples;
    }
}
