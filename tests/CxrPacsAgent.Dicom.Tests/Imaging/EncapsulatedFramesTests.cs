using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.IO;

using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Imaging;

/// <summary>
/// Frames of multi-frame encapsulated pixel data are found by every route PS3.5 A.4 allows: Basic Offset Table,
/// Extended Offset Table, one fragment per frame, and frames split over several fragments.
/// </summary>
[Collection(PixelSamplesCollection.Name)]
public sealed class EncapsulatedFramesTests(PixelSamplesFixture samples)
{
    private (DicomDataset Rle, int[][] Frames) MultiFrameRle()
    {
        var file = DicomFile.Open(samples.NativePath("frames3_s16"));
        var rle = DicomPixelTranscoder.Transcode(file.Dataset, file.TransferSyntax, DicomTransferSyntax.RleLossless);
        var frames = Enumerable.Range(0, 3).Select(f => DicomPixelData.GetFrameSamples(file.Dataset, file.TransferSyntax, f)).ToArray();
        return (rle, frames);
    }

    private static void AssertFrames(DicomDataset ds, int[][] expected)
    {
        for (var f = 0; f < expected.Length; f++)
        {
            Assert.Equal(expected[f], DicomPixelData.GetFrameSamples(ds, DicomTransferSyntax.RleLossless, f));
        }
    }

    [Fact]
    public void Basic_Offset_Table_locates_each_frame()
    {
        var (rle, frames) = MultiFrameRle();
        Assert.Equal(12, ((DicomFragmentSequence)rle[DicomTags.PixelData]!).OffsetTable.Length);
        AssertFrames(rle, frames);
        Assert.NotEqual(frames[0], frames[1]);
    }

    [Fact]
    public void Without_offsets_one_fragment_is_one_frame()
    {
        var (rle, frames) = MultiFrameRle();
        ((DicomFragmentSequence)rle[DicomTags.PixelData]!).OffsetTable = DicomBuffer.Empty;
        AssertFrames(rle, frames);
    }

    [Fact]
    public void Extended_Offset_Table_locates_each_frame()
    {
        var (rle, frames) = MultiFrameRle();
        var pixels = (DicomFragmentSequence)rle[DicomTags.PixelData]!;
        pixels.OffsetTable = DicomBuffer.Empty;
        var lengths = pixels.Fragments.Select(f => (ulong)f.Length).ToArray();
        // Reverse the fragments and point the table at them, so that only the table can give the right answer.
        pixels.Fragments.Reverse();
        var reversed = new ulong[3];
        ulong position = 0;
        for (var i = 0; i < 3; i++)
        {
            reversed[2 - i] = position; // frame 2 is now the first fragment
            position += 8 + (ulong)pixels.Fragments[i].Length;
        }
        rle.AddOrUpdate(DicomTags.ExtendedOffsetTable, DicomVR.OV, reversed);
        rle.AddOrUpdate(DicomTags.ExtendedOffsetTableLengths, DicomVR.OV, [lengths[0], lengths[1], lengths[2]]);
        AssertFrames(rle, frames);
    }

    [Fact]
    public void A_frame_split_over_fragments_is_joined_by_the_Basic_Offset_Table()
    {
        var (rle, frames) = MultiFrameRle();
        var pixels = (DicomFragmentSequence)rle[DicomTags.PixelData]!;
        var split = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        var bot = new List<uint>();
        uint at = 0;
        foreach (var fragment in pixels.Fragments)
        {
            bot.Add(at);
            var bytes = fragment.Memory;
            var half = (bytes.Length / 2) & ~1;
            split.Fragments.Add(DicomBuffer.From(bytes[..half]));
            split.Fragments.Add(DicomBuffer.From(bytes[half..]));
            at += (uint)(16 + bytes.Length);
        }
        split.OffsetTable = DicomBuffer.From(bot.SelectMany(BitConverter.GetBytes).ToArray());
        rle.Add(split);
        AssertFrames(rle, frames);
        // The same fragments without the table cannot be assigned to frames: RLE frames have no start marker.
        split.OffsetTable = DicomBuffer.Empty;
        Assert.Throws<DicomPixelDataException>(() => DicomPixelData.GetFrameSamples(rle, DicomTransferSyntax.RleLossless, 1));
    }

    [Fact]
    public void JPEG_frames_split_over_fragments_are_found_by_their_SOI()
    {
        var file = DicomFile.Open(samples.CompressedPath(CodecCases.Get("crop8_0_jpegls")));
        var frame = ((DicomFragmentSequence)file.Dataset[DicomTags.PixelData]!).Fragments.SelectMany(f => f.Memory.ToArray()).ToArray();
        var expected = DicomPixelData.GetFrameSamples(file.Dataset, file.TransferSyntax, 0);
        var ds = file.Dataset.Clone();
        ds.AddOrUpdate(DicomTags.NumberOfFrames, "2");
        var pixels = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        for (var copy = 0; copy < 2; copy++)
        {
            pixels.Fragments.Add(DicomBuffer.From(frame.AsMemory(0, 100)));
            pixels.Fragments.Add(DicomBuffer.From(frame.AsMemory(100, 200)));
            pixels.Fragments.Add(DicomBuffer.From(frame.AsMemory(300)));
        }
        ds.Add(pixels);
        Assert.Equal(expected, DicomPixelData.GetFrameSamples(ds, file.TransferSyntax, 0));
        Assert.Equal(expected, DicomPixelData.GetFrameSamples(ds, file.TransferSyntax, 1));
    }
}
