using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.IO;

/// <summary>An explicit VR field that holds no VR is a typed error at that element, not a guess.</summary>
public class UnknownVRTests
{
    [Theory]
    [InlineData("ZZ", "ZZ")]
    [InlineData("pn", "pn")]
    [InlineData("\0\0", "??")]
    [InlineData("  ", "  ")]
    public void An_unknown_VR_names_the_element_and_its_offset(string code, string shown)
    {
        var data = ByteBuilder.FileStart(DicomUids.ExplicitVRLittleEndian).Explicit(DicomTags.PatientID, "LO", "ID01");
        var at = data.Length;
        data.Tag(DicomTags.PatientName).Raw([.. code.Select(c => (byte)c)]).UInt16(4).Raw("DOE^"u8.ToArray());
        var e = Assert.Throws<DicomFormatException>(() => DicomFile.Read(data.ToArray()));
        Assert.Equal((DicomTags.PatientName, (long)at), (e.Tag, e.Offset));
        Assert.Equal($"unknown VR '{shown}' in an explicit VR data set", e.Problem);
    }

    [Fact]
    public void An_unknown_VR_inside_an_item_is_found_at_its_own_offset()
    {
        var data = new ByteBuilder().Explicit(DicomTags.ReferencedImageSequence, "SQ", 0xFFFFFFFF).Item();
        var at = data.Length;
        data.Tag(DicomTags.ReferencedSOPClassUID).Raw((byte)'Q', (byte)'Q').UInt16(0).ItemEnd().SequenceEnd();
        var e = Assert.Throws<DicomFormatException>(() => DicomDatasetReader.Read(data.ToArray(), DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.Equal((DicomTags.ReferencedSOPClassUID, (long)at), (e.Tag, e.Offset));
    }

    [Fact]
    public void A_private_UN_element_whose_creator_slot_is_not_text_stays_UN()
    {
        // The reader looks the creator up to find a private VR; a creator slot holding US must not make it throw.
        var data = new ByteBuilder().Explicit(new DicomTag(0x0009, 0x0010), "US", 2).UInt16(7)
            .Explicit(new DicomTag(0x0009, 0x1001), "UN", 2).UInt16(1);
        var dataset = DicomDatasetReader.Read(data.ToArray(), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal(DicomVR.UN, dataset[new DicomTag(0x0009, 0x1001)]!.VR);
        Assert.Null(dataset.GetPrivateCreator(new DicomTag(0x0009, 0x1001)));
        Assert.Null(dataset.FindPrivateTag(0x0009, "ANY", 0x01));
    }

    [Fact]
    public void Explicit_UN_with_a_known_VR_is_read_as_that_VR()
    {
        // pydicom's replace_un_with_known_vr does the same; the bytes are kept as they were.
        var data = new ByteBuilder().Explicit(DicomTags.PatientName, "UN", 8).Raw("DOE^JOHN"u8.ToArray())
            .Explicit(DicomTags.Rows, "UN", 2).UInt16(512);
        var dataset = DicomDatasetReader.Read(data.ToArray(), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal((DicomVR.PN, "DOE^JOHN"), (dataset[DicomTags.PatientName]!.VR, dataset.GetString(DicomTags.PatientName)));
        Assert.Equal((DicomVR.US, (ushort)512), (dataset[DicomTags.Rows]!.VR, dataset.GetUInt16(DicomTags.Rows)));
    }
}
