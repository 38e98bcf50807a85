using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.IO;

/// <summary>Value and item lengths that lie: each is a typed error naming the element and where its header starts.</summary>
public class MalformedLengthTests
{
    private static DicomFormatException ReadExplicit(ByteBuilder data, DicomReadOptions? options = null) =>
        Assert.Throws<DicomFormatException>(() => DicomDatasetReader.Read(data.ToArray(), DicomTransferSyntax.ExplicitVRLittleEndian, options));

    [Fact]
    public void A_value_longer_than_the_data_is_rejected_at_its_header()
    {
        var data = new ByteBuilder().Explicit(DicomTags.PatientID, "LO", "ID01");
        var at = data.Length;
        data.Explicit(DicomTags.PatientName, "PN", 100).Raw("DOE^"u8.ToArray());
        var e = ReadExplicit(data);
        Assert.Equal((DicomTags.PatientName, (long)at), (e.Tag, e.Offset));
        Assert.Contains("value length 100 runs past the end", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Offsets_in_a_file_count_from_the_first_byte_of_the_file()
    {
        var data = ByteBuilder.FileStart(DicomUids.ExplicitVRLittleEndian).Explicit(DicomTags.PatientID, "LO", "ID01");
        var at = data.Length;
        data.Explicit(DicomTags.PixelData, "OB", 0xFFFFFFF0).Raw(0, 0);
        var e = Assert.Throws<DicomFormatException>(() => DicomFile.Read(data.ToArray()));
        Assert.Equal((DicomTags.PixelData, (long)at), (e.Tag, e.Offset));
    }

    [Fact]
    public void Odd_lengths_are_read_unless_rejected_by_option()
    {
        var data = new ByteBuilder().Explicit(DicomTags.PatientID, "LO", "ID1");
        Assert.Equal("ID1", DicomDatasetReader.Read(data.ToArray(), DicomTransferSyntax.ExplicitVRLittleEndian).GetString(DicomTags.PatientID));
        var e = ReadExplicit(data, new DicomReadOptions { RejectOddLengths = true });
        Assert.Equal((DicomTags.PatientID, 0L, "odd value length 3"), (e.Tag, e.Offset, e.Problem));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_length_of_FFFFFFFE_is_rejected_before_anything_is_read(bool fromDisk)
    {
        // One less than "undefined": the largest length a header can claim, and far past any real file.
        var data = ByteBuilder.FileStart(DicomUids.ExplicitVRLittleEndian).Explicit(DicomTags.PatientID, "LO", "ID01");
        var at = data.Length;
        data.Explicit(DicomTags.ImageComments, "UT", 0xFFFFFFFE).Raw("text"u8.ToArray());
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("fffffffe.dcm"), data.ToArray());
        var e = Assert.Throws<DicomFormatException>(() => fromDisk ? DicomFile.Open(temp.File("fffffffe.dcm")) : DicomFile.Read(data.ToArray()));
        Assert.Equal((DicomTags.ImageComments, (long)at), (e.Tag, e.Offset));
        Assert.Equal("value length 4294967294 runs past the end of its data set (4 bytes left)", e.Problem);
    }

    [Fact]
    public void Undefined_length_is_only_for_sequences_and_pixel_data()
    {
        var e = ReadExplicit(new ByteBuilder().Explicit(DicomTags.ImageComments, "UT", 0xFFFFFFFF).SequenceEnd());
        Assert.Equal((DicomTags.ImageComments, 0L, "undefined length is not allowed for VR UT"), (e.Tag, e.Offset, e.Problem));
    }

    [Fact]
    public void An_item_longer_than_its_sequence_names_the_sequence_and_the_item()
    {
        var data = new ByteBuilder().Explicit(DicomTags.ReferencedImageSequence, "SQ", 16);
        var at = data.Length;
        data.Item(40).Explicit(DicomTags.PatientID, "LO", "ID01");
        var e = ReadExplicit(data);
        Assert.Equal((DicomTags.ReferencedImageSequence, (long)at), (e.Tag, e.Offset));
        Assert.StartsWith("item length 40 runs past the end of its sequence", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sequence_without_its_delimiter_is_rejected()
    {
        var data = new ByteBuilder().Explicit(DicomTags.ReferencedImageSequence, "SQ", 0xFFFFFFFF)
            .Item().Explicit(DicomTags.PatientID, "LO", "ID01").ItemEnd();
        var e = ReadExplicit(data);
        Assert.Equal((DicomTags.ReferencedImageSequence, 0L), (e.Tag, e.Offset));
        Assert.StartsWith("sequence of undefined length ends without", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_item_without_its_delimiter_is_rejected()
    {
        var data = new ByteBuilder().Explicit(DicomTags.ReferencedImageSequence, "SQ", 0xFFFFFFFF)
            .Item().Explicit(DicomTags.PatientID, "LO", "ID01");
        var e = ReadExplicit(data);
        Assert.Equal((null, (long)data.Length), (e.Tag, e.Offset));
        Assert.StartsWith("item of undefined length ends without", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fragment_longer_than_the_data_is_rejected()
    {
        var data = new ByteBuilder().Explicit(DicomTags.PixelData, "OB", 0xFFFFFFFF).Item(0);
        var at = data.Length;
        data.Item(1000).Raw(0xFF, 0xD8);
        var e = ReadExplicit(data);
        Assert.Equal((DicomTags.PixelData, (long)at), (e.Tag, e.Offset));
        Assert.StartsWith("fragment length 1000 runs past the end", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_delimiter_where_an_element_belongs_is_rejected()
    {
        var data = new ByteBuilder().Explicit(DicomTags.PatientID, "LO", "ID01");
        var at = data.Length;
        data.ItemEnd();
        var e = ReadExplicit(data);
        Assert.Equal((DicomTag.ItemDelimitationItem, (long)at), (e.Tag, e.Offset));
    }

    [Fact]
    public void A_header_cut_short_is_rejected_where_it_starts()
    {
        var data = new ByteBuilder().Explicit(DicomTags.PatientID, "LO", "ID01");
        var at = data.Length;
        data.Tag(DicomTags.PatientName).Raw((byte)'P', (byte)'N', 8);
        var e = ReadExplicit(data);
        Assert.Equal((DicomTags.PatientName, (long)at), (e.Tag, e.Offset));
        Assert.Equal("data ends inside an element header (7 of 8 bytes)", e.Problem);
    }
}
