using CxrPacsAgent.Imaging.Filtering;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Imaging.Tests.TestSupport;

namespace CxrPacsAgent.Imaging.Tests.Filtering;

/// <summary>The view and content filter on the real dicom-samples and on the fixture's DX/CR objects.</summary>
[Collection(DicomCollection.Name)]
public sealed class FrontalChestFilterTests(DicomFixture fixture)
{
    [Theory]
    [InlineData("chest_radiographs/CR-MONO1-10-chest_fodicom-via-dcmfx.dcm", SkipReason.None)]
    [InlineData("chest_radiographs/NIH-CXR14_Covid0000_nhsx.dcm", SkipReason.None)] // header silent: the image decides
    [InlineData("other_cr/pydicom_dicomdirtests_CR1_6154_16x16.dcm", SkipReason.NotChest)] // CSPINE LL
    [InlineData("other_cr/sample_OT_nhsx_dicomlibrary.dcm", SkipReason.UnsupportedModality)]
    [InlineData("other_cr/fodicom_CR-ModalitySequenceLUT_dental_JPEGLossless.dcm", SkipReason.ImageNotFrontalChest)]
    [InlineData("chest_radiographs/dx_image_highdicom.dcm", SkipReason.ImageNotFrontalChest)] // THORAX, no view, not a chest film
    [InlineData("structured_reports/highdicom_sr_document_TID1500.dcm", SkipReason.NoPixelData)]
    [InlineData("structured_reports/pydicom_reportsi_BasicTextSR.dcm", SkipReason.NoPixelData)]
    [InlineData("structured_reports/highdicom_seg_image_cr_binary.dcm", SkipReason.UnsupportedSopClass)]
    [InlineData("secondary_capture_codecs/pydicom_SC_rgb_rle.dcm", SkipReason.UnsupportedModality)]
    public void Dicom_samples(string file, SkipReason expected)
    {
        var dicom = Radiograph.OpenDicom(TestData.Path("dicom-samples", file));
        var decision = FrontalChestFilter.Decide(dicom.Dataset, () => Radiograph.FromDicom(dicom).Image);
        Assert.Equal(expected, decision.Reason);
        Assert.False(string.IsNullOrWhiteSpace(decision.Message));
    }

    [Fact]
    public void Fixture_chest_objects_are_accepted_from_the_header_alone()
    {
        foreach (var encoding in DicomFixture.Native)
        {
            var decision = FrontalChestFilter.FromHeader(Radiograph.OpenDicom(fixture.File("adult-cxr-01", encoding)).Dataset);
            Assert.True(decision.Accepted, decision.ToString());
            Assert.False(decision.NeedsImageCheck);
        }
    }

    [Theory]
    [InlineData("LL", SkipReason.NotFrontal)]
    [InlineData("LATERAL", SkipReason.NotFrontal)]
    [InlineData("AP", SkipReason.None)]
    public void View_position_decides(string view, SkipReason expected)
    {
        var ds = Radiograph.OpenDicom(fixture.File("adult-cxr-01", "cr8-mono2")).Dataset;
        ds.AddOrUpdate(Dicom.Data.DicomTags.ViewPosition, view);
        Assert.Equal(expected, FrontalChestFilter.FromHeader(ds).Reason);
    }

    [Fact]
    public void Series_description_catches_an_unlabelled_lateral()
    {
        var ds = Radiograph.OpenDicom(fixture.File("adult-cxr-01", "cr8-mono2")).Dataset;
        ds.Remove(Dicom.Data.DicomTags.ViewPosition);
        ds.AddOrUpdate(Dicom.Data.DicomTags.SeriesDescription, "CHEST LAT");
        Assert.Equal(SkipReason.NotFrontal, FrontalChestFilter.FromHeader(ds).Reason);
    }

    [Fact]
    public void Body_part_other_than_chest_is_skipped()
    {
        var ds = Radiograph.OpenDicom(fixture.File("adult-cxr-01", "dx16-mono2")).Dataset;
        ds.AddOrUpdate(Dicom.Data.DicomTags.BodyPartExamined, "KNEE");
        var decision = FrontalChestFilter.FromHeader(ds);
        Assert.Equal(SkipReason.NotChest, decision.Reason);
        Assert.Contains("KNEE", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_adult_sample_passes_the_image_heuristic()
    {
        foreach (var path in TestData.AdultSamples())
        {
            var decision = ImageViewHeuristic.Evaluate(ImageFile.LoadGray(path));
            Assert.True(decision.Accepted, $"{Path.GetFileName(path)}: {decision}");
        }
    }

    [Fact]
    public void A_blank_image_is_a_skip_not_an_exception()
    {
        var decision = ImageViewHeuristic.Evaluate(new GrayImage(200, 200));
        Assert.Equal(SkipReason.ImageNotFrontalChest, decision.Reason);
    }

    [Fact]
    public void A_tiny_image_is_too_small()
    {
        Assert.Equal(SkipReason.TooSmall, ImageViewHeuristic.Evaluate(new GrayImage(20, 300)).Reason);
    }
}
