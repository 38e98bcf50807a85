using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.IO;

/// <summary>Encapsulated pixel data (PS3.5 A.4): offset table, fragments, and VR OB however it was encoded.</summary>
public class EncapsulatedPixelDataTests
{
    private static ByteBuilder Fragments(ByteBuilder data) =>
        data.Item(4).UInt32(0).Item(4).Raw(0xFF, 0xD8, 0xFF, 0xD9).Item(2).Raw(0xAB, 0xCD).SequenceEnd();

    [Fact]
    public void Offset_table_and_fragments_are_kept_apart()
    {
        var data = Fragments(new ByteBuilder().Explicit(DicomTags.PixelData, "OB", 0xFFFFFFFF)).ToArray();
        var pixels = Assert.IsType<DicomFragmentSequence>(DicomDatasetReader.Read(data, DicomTransferSyntax.JpegBaseline8Bit)[DicomTags.PixelData]);
        Assert.Equal([0u], pixels.GetOffsets());
        Assert.Equal(["FFD8FFD9", "ABCD"], pixels.Fragments.Select(f => Convert.ToHexString(f.Memory.Span)));
    }

    [Fact]
    public void Implicit_VR_encapsulated_pixel_data_is_OB_and_is_written_as_OB()
    {
        // The dictionary's implicit default for (7FE0,0010) is OW; encapsulated data is OB all the same.
        var data = Fragments(new ByteBuilder().Implicit(DicomTags.PixelData, 0xFFFFFFFF)).ToArray();
        var dataset = DicomDatasetReader.Read(data, DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.Equal(DicomVR.OB, dataset[DicomTags.PixelData]!.VR);
        using var stream = new MemoryStream();
        DicomDatasetWriter.Write(stream, dataset, DicomTransferSyntax.JpegBaseline8Bit);
        Assert.Equal("E07F1000" + "4F42", Convert.ToHexString(stream.ToArray().AsSpan(0, 6)));
    }
}
