using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.IO;

/// <summary>
/// Byte order is guessed only for files without a meta group. A stated little-endian data set that starts in group
/// 2000, 4000 or 6000 (film session, text, overlay) looks byte-swapped but is not (found by the round-trip property).
/// </summary>
public class EndiannessDetectionTests
{
    private static readonly DicomTag NumberOfCopies = new(0x2000, 0x0010);

    [Fact]
    public void A_stated_little_endian_data_set_starting_in_group_2000_stays_little_endian()
    {
        var data = new ByteBuilder().Explicit(NumberOfCopies, "IS", "2 ").ToArray();
        var dataset = DicomDatasetReader.Read(data, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal("2", dataset.GetString(NumberOfCopies));
        var file = DicomFile.Read(ByteBuilder.FileStart(DicomUids.ImplicitVRLittleEndian).Implicit(NumberOfCopies, 2).Raw((byte)'2', (byte)' ').ToArray());
        Assert.Equal(2, file.Dataset.GetInt32(NumberOfCopies));
    }

    [Fact]
    public void A_file_without_meta_group_is_still_recognised_as_big_endian()
    {
        // (0008,0005) CS "ISO_IR 100" in Explicit VR Big Endian, no preamble, no meta group.
        var data = new byte[] { 0x00, 0x08, 0x00, 0x05, (byte)'C', (byte)'S', 0x00, 0x0A }.Concat("ISO_IR 100"u8.ToArray())
            .Concat(new byte[] { 0x00, 0x28, 0x00, 0x10, (byte)'U', (byte)'S', 0x00, 0x02, 0x02, 0x00 }).ToArray();
        var file = DicomFile.Read(data);
        Assert.False(file.HasMetaInformation);
        Assert.Equal((ushort)512, file.Dataset.GetUInt16(DicomTags.Rows));
    }

    [Fact]
    public void A_file_whose_data_set_contradicts_its_stated_VR_encoding_is_read_as_it_is_encoded()
    {
        // Stated explicit VR, written implicit (pydicom's SC_rgb_jpeg.dcm is such a file): the VR guess still applies.
        var data = ByteBuilder.FileStart(DicomUids.ExplicitVRLittleEndian).Implicit(DicomTags.Rows, 2).UInt16(512).ToArray();
        Assert.Equal((ushort)512, DicomFile.Read(data).Dataset.GetUInt16(DicomTags.Rows));
    }
}
