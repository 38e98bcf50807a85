using System.Text;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Data;

public class DicomDatasetTests
{
    [Fact]
    public void Attributes_are_kept_in_tag_order_and_replaced_by_tag()
    {
        var dataset = new DicomDataset().AddOrUpdate(DicomTags.PatientID, "B").AddOrUpdate(DicomTags.Rows, (ushort)2)
            .AddOrUpdate(DicomTags.PatientName, "DOE^A").AddOrUpdate(DicomTags.PatientID, "C");
        Assert.Equal([DicomTags.PatientName, DicomTags.PatientID, DicomTags.Rows], dataset.Select(i => i.Tag));
        Assert.Equal("C", dataset.GetString(DicomTags.PatientID));
        Assert.True(dataset.Remove(DicomTags.PatientID));
        Assert.False(dataset.Contains(DicomTags.PatientID));
        Assert.False(dataset.Remove(DicomTags.PatientID));
    }

    [Fact]
    public void Binary_values_are_typed_by_the_VR_size()
    {
        var dataset = new DicomDataset().AddOrUpdate(DicomTags.Rows, (ushort)2500)
            .AddOrUpdate(new DicomTag(0x0028, 0x0106), DicomVR.SS, (short)-7)
            .AddOrUpdate(DicomTags.PixelSpacing, DicomVR.FD, 0.139, 0.14);
        Assert.Equal((ushort)2500, dataset.GetUInt16(DicomTags.Rows));
        Assert.Equal(-7L, dataset.GetInt64(new DicomTag(0x0028, 0x0106)));
        Assert.Equal([0.139, 0.14], dataset.GetValues<double>(DicomTags.PixelSpacing));
        Assert.Equal(0.14, dataset.GetDouble(DicomTags.PixelSpacing, 1));
        Assert.Throws<InvalidOperationException>(() => dataset.GetUInt32(DicomTags.Rows)); // US is 2 bytes, not 4
        Assert.Throws<InvalidOperationException>(() => dataset.GetUInt16(DicomTags.Rows, 1)); // one value only
        Assert.Throws<KeyNotFoundException>(() => dataset.GetUInt16(DicomTags.Columns));
        Assert.Empty(dataset.GetValues<ushort>(DicomTags.Columns));
    }

    [Fact]
    public void Setting_a_value_checks_that_it_fits_the_VR()
    {
        var dataset = new DicomDataset();
        Assert.Throws<ArgumentException>(() => dataset.AddOrUpdate(DicomTags.Rows, DicomVR.US, 1.5f)); // 4 bytes for US
        Assert.Throws<ArgumentException>(() => dataset.AddOrUpdate(DicomTags.Rows, DicomVR.US, "512")); // text for US
        Assert.Throws<ArgumentException>(() => dataset.AddOrUpdate(DicomTags.ImageComments, DicomVR.LT, "a", "b")); // LT is single
        Assert.Throws<ArgumentException>(() => dataset.AddOrUpdateBytes(DicomTags.PatientName, DicomVR.PN, [1, 2]));
        Assert.Throws<ArgumentException>(() => new DicomElement(DicomTags.ReferencedImageSequence, DicomVR.SQ, Array.Empty<byte>()));
        Assert.Empty(dataset);
    }

    [Fact]
    public void Reading_a_value_checks_its_VR_kind()
    {
        var dataset = new DicomDataset().AddOrUpdate(DicomTags.Rows, (ushort)512).AddOrUpdate(DicomTags.PatientName, "DOE");
        Assert.Throws<InvalidOperationException>(() => dataset.GetText(DicomTags.Rows));
        Assert.Throws<InvalidOperationException>(() => dataset.GetUInt16(DicomTags.PatientName));
        Assert.Throws<InvalidOperationException>(() => dataset.GetTags(DicomTags.Rows));
    }

    [Fact]
    public void Text_is_padded_to_even_length_and_read_without_padding()
    {
        var dataset = new DicomDataset().AddOrUpdate(DicomTags.PatientName, "DOE^JO")
            .AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3").AddOrUpdate(DicomTags.ImageType, "DERIVED", "PRIMARY");
        Assert.Equal("312E322E3300", Hex(dataset, DicomTags.SOPInstanceUID)); // UI pads with NUL
        Assert.Equal("DERIVED\\PRIMARY ", Encoding.ASCII.GetString(Bytes(dataset, DicomTags.ImageType))); // CS pads with space
        Assert.Equal(["DERIVED", "PRIMARY"], dataset.GetStrings(DicomTags.ImageType));
        Assert.Equal("PRIMARY", dataset.GetString(DicomTags.ImageType, 1));
        Assert.Null(dataset.GetString(DicomTags.ImageType, 2));
        Assert.Null(dataset.GetString(DicomTags.PatientID));
    }

    [Fact]
    public void Numbers_come_from_IS_and_DS_text()
    {
        var dataset = new DicomDataset().AddOrUpdate(DicomTags.InstanceNumber, "-12")
            .AddOrUpdateDecimal(DicomTags.PixelSpacing, 0.139, 1.0 / 3);
        Assert.Equal(-12, dataset.GetInt32(DicomTags.InstanceNumber));
        Assert.Equal(-12L, dataset.GetInt64(DicomTags.InstanceNumber));
        Assert.Equal(0.139, dataset.GetDouble(DicomTags.PixelSpacing));
        Assert.Equal(1.0 / 3, dataset.GetDouble(DicomTags.PixelSpacing, 1), 1e-14);
        Assert.Null(dataset.GetInt32OrNull(DicomTags.Rows));
    }

    [Fact]
    public void Attribute_tags_round_trip()
    {
        var dataset = new DicomDataset().AddOrUpdate(DicomTags.FrameIncrementPointer, DicomTags.FrameTime, new DicomTag(0x0018, 0x1065));
        Assert.Equal("18006310" + "18006510", Hex(dataset, DicomTags.FrameIncrementPointer));
        Assert.Equal([DicomTags.FrameTime, new DicomTag(0x0018, 0x1065)], dataset.GetTags(DicomTags.FrameIncrementPointer));
    }

    [Fact]
    public void Private_tags_are_reserved_in_the_first_free_block_of_their_creator()
    {
        var dataset = new DicomDataset();
        var first = dataset.ReservePrivateTag(0x0009, "CXR AGENT", 0x01);
        var other = dataset.ReservePrivateTag(0x0009, "SOMEONE ELSE", 0x01);
        var again = dataset.ReservePrivateTag(0x0009, "CXR AGENT", 0x02);
        Assert.Equal((new DicomTag(0x0009, 0x1001), new DicomTag(0x0009, 0x1101), new DicomTag(0x0009, 0x1002)), (first, other, again));
        Assert.Equal("CXR AGENT", dataset.GetString(new DicomTag(0x0009, 0x0010)));
        Assert.Equal(DicomVR.LO, dataset[new DicomTag(0x0009, 0x0010)]!.VR);
        Assert.Equal(new DicomTag(0x0009, 0x11FF), dataset.FindPrivateTag(0x0009, "SOMEONE ELSE", 0xFF));
        Assert.Null(dataset.FindPrivateTag(0x0009, "NOBODY", 0x01));
        Assert.Null(dataset.FindPrivateTag(0x0011, "CXR AGENT", 0x01));
        dataset.AddOrUpdate(first, DicomVR.LO, "score");
        Assert.Equal("CXR AGENT", dataset.GetPrivateCreator(first));
        Assert.Null(dataset.GetPrivateCreator(DicomTags.PatientName));
    }

    [Fact]
    public void Reserving_a_private_tag_needs_a_private_group_with_a_free_block()
    {
        var dataset = new DicomDataset();
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.ReservePrivateTag(0x0010, "CXR AGENT", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.ReservePrivateTag(0x0003, "CXR AGENT", 1));
        for (var block = 0x10; block <= 0xFF; block++)
        {
            dataset.ReservePrivateTag(0x0029, $"CREATOR {block}", 0);
        }
        Assert.Throws<InvalidOperationException>(() => dataset.ReservePrivateTag(0x0029, "ONE TOO MANY", 0));
        Assert.Equal(new DicomTag(0x0029, 0xFF00), dataset.FindPrivateTag(0x0029, "CREATOR 255", 0));
    }

    [Fact]
    public void Private_creators_are_found_after_reading_a_file()
    {
        var dataset = new DicomDataset();
        var tag = dataset.ReservePrivateTag(0x0019, "CXR AGENT", 0x42);
        dataset.AddOrUpdate(tag, DicomVR.DS, "0.93");
        var read = DicomDatasetReader.Read(Encode(dataset, DicomTransferSyntax.ExplicitVRLittleEndian), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal(tag, read.FindPrivateTag(0x0019, "CXR AGENT", 0x42));
        Assert.Equal(0.93, read.GetDouble(tag));
    }

    [Fact]
    public void Items_inherit_the_character_set_of_their_parent()
    {
        var parent = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        var item = new DicomDataset();
        parent.AddSequence(DicomTags.ReferencedImageSequence, item);
        item.AddOrUpdate(DicomTags.PatientName, "Müller^Jürgen");
        Assert.Equal(Encoding.UTF8.GetBytes("Müller^Jürgen "), Bytes(item, DicomTags.PatientName));
        Assert.Same(parent.CharacterSet, item.CharacterSet);

        // Read back, the item has no (0008,0005) of its own and still decodes UTF-8.
        var read = DicomDatasetReader.Read(Encode(parent, DicomTransferSyntax.ExplicitVRLittleEndian), DicomTransferSyntax.ExplicitVRLittleEndian);
        var readItem = read.GetSequence(DicomTags.ReferencedImageSequence)!.Items[0];
        Assert.False(readItem.Contains(DicomTags.SpecificCharacterSet));
        Assert.Equal("Müller^Jürgen", readItem.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void An_item_with_its_own_character_set_uses_it()
    {
        var parent = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        var item = new DicomDataset();
        parent.AddSequence(DicomTags.ReferencedImageSequence, item);
        item.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 100").AddOrUpdate(DicomTags.PatientName, "Müller");
        Assert.Equal("4DFC6C6C6572", Hex(item, DicomTags.PatientName)); // Latin-1 ü is one byte
        var read = DicomDatasetReader.Read(Encode(parent, DicomTransferSyntax.ImplicitVRLittleEndian), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.Equal("Müller", read.GetSequence(DicomTags.ReferencedImageSequence)!.Items[0].GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Changing_the_character_set_changes_how_stored_bytes_decode()
    {
        // Values are stored encoded; (0008,0005) set afterwards reinterprets them, as it would in a file.
        var dataset = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        dataset.AddOrUpdate(DicomTags.PatientName, "Jürgen");
        dataset.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 100");
        Assert.Equal("JÃ¼rgen", dataset.GetString(DicomTags.PatientName));
        Assert.True(dataset.Remove(DicomTags.SpecificCharacterSet));
        Assert.True(dataset.CharacterSet.IsDefault);
    }

    [Fact]
    public void Clone_copies_the_attribute_tree_and_keeps_parents_consistent()
    {
        var parent = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        var item = new DicomDataset().AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, "1.2.3");
        parent.AddSequence(DicomTags.ReferencedImageSequence, item);
        var copy = parent.Clone();
        var copiedItem = copy.GetSequence(DicomTags.ReferencedImageSequence)!.Items[0];
        Assert.NotSame(item, copiedItem);
        Assert.Same(copy, copiedItem.Parent);
        copiedItem.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, "9.9");
        Assert.Equal("1.2.3", item.GetString(DicomTags.ReferencedSOPInstanceUID));
    }

    private static byte[] Encode(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        using var stream = new MemoryStream();
        DicomDatasetWriter.Write(stream, dataset, syntax);
        return stream.ToArray();
    }

    private static byte[] Bytes(DicomDataset dataset, DicomTag tag) =>
        Assert.IsType<DicomElement>(dataset[tag]).Buffer.Memory.ToArray();

    private static string Hex(DicomDataset dataset, DicomTag tag) => Convert.ToHexString(Bytes(dataset, tag));
}
