using CxrPacsAgent.Dicom.Network.Client;

namespace CxrPacsAgent.Dicom.Tests.Network.Client;

public class StoreScuProposalTests
{
    private const string Samples = "/work/shared/data/dicom-samples";
    private const string Ele = "1.2.840.10008.1.2.1";
    private const string Ile = "1.2.840.10008.1.2";

    private static StoreFile Open(string relative)
    {
        Assert.True(StoreFile.TryOpen(Path.Combine(Samples, relative), out var file, out var error), error);
        return file!;
    }

    [Fact]
    public void Each_sop_class_and_syntax_gets_a_context_with_its_own_syntax_first()
    {
        var implicitCr = Open("chest_radiographs/CR-MONO1-10-chest_fodicom-via-dcmfx.dcm");
        var explicitCr = Open("other_cr/pydicom_dicomdirtests_CR1_6154_16x16.dcm");
        var jpegCr = Open("other_cr/fodicom_CR-ModalitySequenceLUT_dental_JPEGLossless.dcm");
        var proposals = StoreScu.Propose([implicitCr, explicitCr, jpegCr, implicitCr]);
        Assert.Equal(3, proposals.Count);
        Assert.Equal([1, 3, 5], proposals.Select(p => (int)p.Id));
        Assert.All(proposals, p => Assert.Equal(implicitCr.SopClassUid, p.AbstractSyntax));
        Assert.Equal([Ile, Ele], proposals[0].TransferSyntaxes);
        Assert.Equal([Ele, Ile], proposals[1].TransferSyntaxes);
        // Compressed pixel data cannot be re-encoded here: only its own syntax is offered.
        Assert.Equal(["1.2.840.10008.1.2.4.70"], proposals[2].TransferSyntaxes);
    }

    [Fact]
    public void The_data_set_names_the_instance_when_the_meta_group_disagrees()
    {
        // This sample's meta group and data set carry different SOP Instance UIDs; the command must match the data set.
        var file = Open("other_cr/fodicom_CR-ModalitySequenceLUT_dental_JPEGLossless.dcm");
        Assert.Equal("999.999.01.23.45.6789", file.SopInstanceUid);
        Assert.False(file.CanTranscode);
        Assert.True(file.DatasetOffset > 132);
        Assert.Equal(new FileInfo(file.Path).Length - file.DatasetOffset, file.DatasetLength);
    }

    [Fact]
    public void Not_dicom_is_reported_not_thrown()
    {
        Assert.False(StoreFile.TryOpen(Path.Combine(Samples, "INVENTORY.txt"), out var file, out var error));
        Assert.Null(file);
        Assert.False(string.IsNullOrEmpty(error));
        Assert.False(StoreFile.TryOpen("/nonexistent/file.dcm", out _, out _));
    }
}
