using CsCheck;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.IO;

/// <summary>Writer → reader on random data sets: whatever we write, we read back element for element.</summary>
public class RoundTripPropertyTests
{
    [Theory]
    [InlineData(DicomUids.ImplicitVRLittleEndian, false)]
    [InlineData(DicomUids.ImplicitVRLittleEndian, true)]
    [InlineData(DicomUids.ExplicitVRLittleEndian, false)]
    [InlineData(DicomUids.ExplicitVRLittleEndian, true)]
    [InlineData(DicomUids.DeflatedExplicitVRLittleEndian, false)]
    [InlineData(DicomUids.DeflatedExplicitVRLittleEndian, true)]
    public void Random_data_sets_read_back_as_written(string syntaxUid, bool definedLengthSequences)
    {
        var syntax = DicomTransferSyntax.Lookup(syntaxUid);
        var options = new DicomWriteOptions { DefinedLengthSequences = definedLengthSequences };
        // A private SQ of defined length in implicit VR reads back as UN bytes (nothing says it is a sequence).
        var privateSequences = syntax.IsExplicitVR || !definedLengthSequences;
        RandomDatasets.Dataset(depth: 3, privateSequences).Sample(spec =>
        {
            var dataset = RandomDatasets.Build(spec);
            var meta = DicomFileMetaInformation.Create(DicomUids.SecondaryCaptureImageStorage, "1.2.3.4", syntax.Uid);
            using var stream = new MemoryStream();
            new DicomFile(meta, dataset).WriteTo(stream, syntax, options);
            var read = DicomFile.Read(stream.ToArray());
            Assert.Equal(syntax.Uid, read.TransferSyntax.Uid);
            var difference = DatasetComparer.FirstDifference(dataset, read.Dataset, implicitVR: !syntax.IsExplicitVR);
            Assert.True(difference is null, difference);
        }, iter: 200);
    }
}
