using System.Diagnostics;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.IO;

using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Imaging;

/// <summary>
/// Inconsistent modules and damaged streams give <see cref="DicomPixelDataException"/> or <see cref="DicomCodecException"/>
/// (or, for a damaged but decodable stream, some output), never another exception and never a hang.
/// </summary>
[Collection(PixelSamplesCollection.Name)]
public sealed class BadPixelDataTests(PixelSamplesFixture samples)
{
    [Fact]
    public void Bits_Stored_above_Bits_Allocated_is_named()
    {
        var ds = TestImages.Grayscale16([1, 2]);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)17);
        var e = Assert.Throws<DicomPixelDataException>(() => PixelDescription.FromDataset(ds));
        Assert.Contains("Bits Stored (0028,0101) is 17", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x0028, 0x0102, 16, "High Bit")]
    [InlineData(0x0028, 0x0100, 12, "Bits Allocated")]
    [InlineData(0x0028, 0x0002, 2, "Samples per Pixel")]
    [InlineData(0x0028, 0x0103, 2, "Pixel Representation")]
    [InlineData(0x0028, 0x0011, 0, "Columns")]
    public void Inconsistent_module_attributes_are_named(ushort group, ushort element, int value, string name)
    {
        var ds = TestImages.Grayscale16([1, 2]);
        ds.AddOrUpdate(new DicomTag(group, element), (ushort)value);
        var e = Assert.Throws<DicomPixelDataException>(() => PixelDescription.FromDataset(ds));
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_Rows_is_named()
    {
        var ds = TestImages.Grayscale16([1]);
        ds.Remove(DicomTags.Rows);
        Assert.Contains("Rows", Assert.Throws<DicomPixelDataException>(() => PixelDescription.FromDataset(ds)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_native_pixel_data_is_a_typed_error_naming_both_lengths()
    {
        var ds = TestImages.Grayscale16([1, 2, 3, 4]);
        ds.AddOrUpdate(DicomTags.Columns, (ushort)5);
        var e = Assert.Throws<DicomPixelDataException>(() => DicomPixelData.GetFrameSamples(ds, TestImages.Native, 0));
        Assert.Contains("has 8 bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("need 10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bits_above_High_Bit_are_masked_and_High_Bit_shifts()
    {
        // Bits Stored 12, High Bit 11: the overlay-style bits 12-15 are not part of the value.
        var ds = TestImages.Grayscale16([0xF123, 0x0FFF], bitsStored: 12);
        Assert.Equal([0x123, 0xFFF], DicomPixelData.GetFrameSamples(ds, TestImages.Native, 0));
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)1);
        Assert.Equal([0x123, -1], DicomPixelData.GetFrameSamples(ds, TestImages.Native, 0));
        // High Bit 15 with Bits Stored 12: the value sits in bits 4-15 (PS3.5 8.1.1).
        ds.AddOrUpdate(DicomTags.HighBit, (ushort)15);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0);
        Assert.Equal([0xF12, 0x0FF], DicomPixelData.GetFrameSamples(ds, TestImages.Native, 0));
    }

    [Fact]
    public void Frame_out_of_range_is_refused()
    {
        var ds = TestImages.Grayscale16([1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => DicomPixelData.GetFrameSamples(ds, TestImages.Native, 1));
    }

    public static TheoryData<string> Streams() => new()
    {
        "crop16_0_p14_sv4", "crop12_1_p14_sv2", "crop8_0_jpegls", "crop12_0_jpegls_near1", "crop16_0_rle",
        "crop8_0_baseline", "rgb8_jpegls_line", "rgb8_baseline_422", "rgb8_sv1", "flat12_jpegls",
    };

    [Theory]
    [MemberData(nameof(Streams))]
    public void Truncated_fragments_give_a_codec_error(string name)
    {
        var (ds, syntax, frame) = Load(name);
        foreach (var length in new[] { 0, 1, 3, 20, 64, frame.Length / 3, frame.Length / 2, frame.Length - 40 })
        {
            var shortened = WithFrame(ds, frame[..Math.Max(0, length)]);
            var e = Record.Exception(() => DicomPixelData.GetFrameSamples(shortened, syntax, 0));
            Assert.True(e is DicomCodecException, $"{name} cut to {length} bytes: {e?.GetType().Name ?? "no error"} {e?.Message}");
        }
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void Random_damage_gives_a_typed_error_or_output_and_never_hangs(string name)
    {
        var (ds, syntax, frame) = Load(name);
        var decoder = DicomCodecRegistry.GetDecoder(syntax);
        var d = PixelDescription.FromDataset(ds);
        var samplesOut = new int[d.SampleCount];
        var random = new Random(name.Length * 7919);
        var clock = Stopwatch.StartNew();
        var errors = 0;
        const int Trials = 150;
        for (var trial = 0; trial < Trials; trial++)
        {
            var damaged = frame.ToArray();
            switch (trial % 3)
            {
                case 0:
                    for (var k = 0; k <= trial % 5; k++)
                    {
                        damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
                    }
                    break;
                case 1:
                    damaged[random.Next(Math.Min(damaged.Length, 400))] = (byte)random.Next(256); // headers are where parsers break
                    break;
                default:
                    damaged = damaged[..random.Next(damaged.Length)];
                    break;
            }
            try
            {
                decoder.Decode(damaged, d, samplesOut);
            }
            catch (DicomCodecException)
            {
                errors++;
            }
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{Trials} damaged decodes of {name} took {clock.Elapsed}");
        Assert.True(errors > 0, $"no damage to {name} was detected");
    }

    [Theory]
    [InlineData("crop16_0_p14_sv4", 0xC3)]
    [InlineData("crop8_0_baseline", 0xC0)]
    [InlineData("crop8_0_jpegls", 0xF7)]
    public void A_frame_header_larger_than_the_data_set_is_refused_before_decoding(string name, int sof)
    {
        // Found by AFL: a 65535×65535 SOF made the decoder allocate its planes before checking the size.
        var (ds, syntax, frame) = Load(name);
        var at = frame.AsSpan().IndexOf(new byte[] { 0xFF, (byte)sof });
        Assert.True(at > 0, $"no SOF 0x{sof:X2} in {name}");
        frame[at + 5] = frame[at + 6] = frame[at + 7] = frame[at + 8] = 0xFF;
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<DicomCodecException>(() => DicomPixelData.GetFrameSamples(WithFrame(ds, frame), syntax, 0));
        Assert.Contains("65535", e.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Fragments_that_no_offset_table_assigns_are_a_typed_error()
    {
        var (ds, syntax, frame) = Load("crop8_0_jpegls");
        var copy = WithFrame(ds, frame);
        copy.AddOrUpdate(DicomTags.NumberOfFrames, "3");
        var fragments = (DicomFragmentSequence)copy[DicomTags.PixelData]!;
        fragments.Fragments.Add(DicomBuffer.From(new byte[] { 1, 2 }));
        var e = Assert.Throws<DicomPixelDataException>(() => DicomPixelData.GetFrameSamples(copy, syntax, 1));
        Assert.Contains("no offset table", e.Message, StringComparison.Ordinal);
    }

    private (DicomDataset Dataset, DicomTransferSyntax Syntax, byte[] Frame) Load(string name)
    {
        var file = DicomFile.Open(samples.CompressedPath(CodecCases.Get(name)));
        var fragments = (DicomFragmentSequence)file.Dataset[DicomTags.PixelData]!;
        var frame = fragments.Fragments.SelectMany(f => f.Memory.ToArray()).ToArray();
        return (file.Dataset, file.TransferSyntax, frame);
    }

    private static DicomDataset WithFrame(DicomDataset ds, byte[] frame)
    {
        var copy = ds.Clone();
        var fragments = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        fragments.Fragments.Add(DicomBuffer.From(frame));
        copy.Add(fragments);
        return copy;
    }
}
