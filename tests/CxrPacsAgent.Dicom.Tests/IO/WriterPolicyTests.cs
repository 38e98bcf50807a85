using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.IO;

/// <summary>Choices the writer makes where PS3.5 and PS3.10 leave one, each checked on bytes it writes.</summary>
public sealed class WriterPolicyTests
{
    [Fact]
    public void A_value_too_long_for_a_16_bit_length_is_written_as_UN_and_read_back_as_its_VR()
    {
        var text = string.Join('\\', Enumerable.Repeat("ABCDEFGHIJKLMNOP", 5000));
        var dataset = new DicomDataset();
        dataset.Add(new DicomElement(DicomTags.ImageType, DicomVR.CS, System.Text.Encoding.ASCII.GetBytes(text)));
        var bytes = Encode(dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal("UN"u8.ToArray(), bytes[4..6]);
        var read = DicomDatasetReader.Read(bytes, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Same(DicomVR.CS, read[DicomTags.ImageType]!.VR);
        Assert.Equal(5000, read.GetStrings(DicomTags.ImageType).Length);
    }

    [Fact]
    public void An_item_added_after_its_sequence_inherits_the_character_set()
    {
        var dataset = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        var sequence = dataset.AddSequence(DicomTags.ReferencedImageSequence);
        var item = new DicomDataset();
        sequence.Items.Add(item);
        item.AddOrUpdate(DicomTags.PatientName, "Ünal^Çelik");
        Assert.Same(dataset, item.Parent);
        var read = DicomDatasetReader.Read(Encode(dataset, DicomTransferSyntax.ExplicitVRLittleEndian), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal("Ünal^Çelik", read.GetSequence(DicomTags.ReferencedImageSequence)!.Items[0].GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Rewriting_a_file_takes_the_media_storage_UIDs_from_the_data_set()
    {
        using var temp = new TempDirectory();
        var dataset = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomUids.SecondaryCaptureImageStorage)
            .AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3.4.5");
        var stale = DicomFileMetaInformation.Create(DicomUids.CTImageStorage, "9.9.9", DicomUids.ImplicitVRLittleEndian);
        var path = temp.File("rewritten.dcm");
        new DicomFile(stale, dataset).Save(path, DicomTransferSyntax.ExplicitVRLittleEndian);
        var meta = DicomFile.Open(path).FileMetaInformation;
        Assert.Equal(DicomUids.SecondaryCaptureImageStorage, meta.GetString(DicomTags.MediaStorageSOPClassUID));
        Assert.Equal("1.2.3.4.5", meta.GetString(DicomTags.MediaStorageSOPInstanceUID));
        Assert.Equal(DicomUids.ExplicitVRLittleEndian, meta.GetString(DicomTags.TransferSyntaxUID));
        Assert.Equal(DicomImplementation.ClassUid, meta.GetString(DicomTags.ImplementationClassUID));
    }

    private static byte[] Encode(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        using var stream = new MemoryStream();
        DicomDatasetWriter.Write(stream, dataset, syntax);
        return stream.ToArray();
    }
}
