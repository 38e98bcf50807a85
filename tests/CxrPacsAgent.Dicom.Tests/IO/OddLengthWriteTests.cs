using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.IO;

/// <summary>
/// The reader accepts odd value lengths (real encoders write them, e.g. highdicom's 169×211 8-bit DX sample); the
/// writer pads them with the VR's padding byte, as PS3.5 7.1.1 requires even lengths.
/// </summary>
public class OddLengthWriteTests
{
    [Fact]
    public void An_odd_value_read_from_a_file_is_written_padded()
    {
        var data = new ByteBuilder().Explicit(DicomTags.PatientID, "LO", "ID1").Explicit(DicomTags.PixelData, "OB", 3).Raw(1, 2, 3);
        var dataset = DicomDatasetReader.Read(data.ToArray(), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal(3, ((DicomElement)dataset[DicomTags.PixelData]!).Length);
        using var stream = new MemoryStream();
        DicomDatasetWriter.Write(stream, dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
        var expected = new ByteBuilder().Explicit(DicomTags.PatientID, "LO", "ID1 ").Explicit(DicomTags.PixelData, "OB", 4).Raw(1, 2, 3, 0);
        Assert.Equal(Convert.ToHexString(expected.ToArray()), Convert.ToHexString(stream.ToArray()));
    }

    [Fact]
    public void Padding_counts_in_defined_sequence_and_item_lengths()
    {
        var item = new DicomDataset().Add(new DicomElement(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, "1.2.3"u8.ToArray()));
        var dataset = new DicomDataset();
        dataset.AddSequence(DicomTags.ReferencedImageSequence, item);
        var options = new DicomWriteOptions { DefinedLengthSequences = true };
        using var stream = new MemoryStream();
        DicomDatasetWriter.Write(stream, dataset, DicomTransferSyntax.ExplicitVRLittleEndian, options);
        Assert.Equal(DicomDatasetWriter.ComputeLength(dataset, DicomTransferSyntax.ExplicitVRLittleEndian, options), stream.Length);
        var read = DicomDatasetReader.Read(stream.ToArray(), DicomTransferSyntax.ExplicitVRLittleEndian);
        var uid = (DicomElement)read.GetSequence(DicomTags.ReferencedImageSequence)!.Items[0][DicomTags.ReferencedSOPInstanceUID]!;
        Assert.Equal("312E322E3300", Convert.ToHexString(uid.Buffer.Memory.Span)); // UI pads with NUL
    }
}
