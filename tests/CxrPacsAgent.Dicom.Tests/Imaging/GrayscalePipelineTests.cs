using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Imaging;

using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Imaging;

/// <summary>The grayscale pipeline against values computed by hand from the formulas of PS3.3 C.11.</summary>
public sealed class GrayscalePipelineTests
{
    private const int Precision = 5;

    private static float[] Render(DicomDataset ds, int voiIndex = 0) =>
        DicomGrayscalePipeline.Render(ds, TestImages.Native, 0, voiIndex);

    private static DicomDataset Windowed(int[] values, string center, string width, string? function = null)
    {
        var ds = TestImages.Grayscale16(values);
        ds.AddOrUpdate(DicomTags.WindowCenter, center.Split('\\'));
        ds.AddOrUpdate(DicomTags.WindowWidth, width.Split('\\'));
        if (function is not null)
        {
            ds.AddOrUpdate(DicomTags.VOILUTFunction, function);
        }
        return ds;
    }

    [Fact]
    public void LINEAR_offsets_centre_by_half_and_width_by_one()
    {
        // c = 100, w = 50: x <= 75 -> 0; x > 124 -> 1; else (x - 99.5) / 49 + 0.5 (C.11.2.1.2.1).
        var y = Render(Windowed([74, 75, 76, 100, 124, 125], "100", "50"));
        Assert.Equal([0f, 0f, 0.020408f, 0.510204f, 1f, 1f], y.Select(v => MathF.Round(v, 6)));
    }

    [Fact]
    public void LINEAR_EXACT_uses_the_window_as_given()
    {
        // c = 100, w = 50: x <= 75 -> 0; x > 125 -> 1; else (x - 100) / 50 + 0.5 (C.11.2.1.3.2).
        var y = Render(Windowed([75, 76, 100, 124, 125, 126], "100", "50", "LINEAR_EXACT"));
        Assert.Equal([0f, 0.02f, 0.5f, 0.98f, 1f, 1f], y.Select(v => MathF.Round(v, 6)));
    }

    [Fact]
    public void SIGMOID_follows_the_logistic_curve()
    {
        // y = 1 / (1 + exp(-4 (x - c) / w)): c = 100, w = 50 gives 1/(1+e^2), 1/2, 1/(1+e^-2) (C.11.2.1.3.1).
        var y = Render(Windowed([75, 100, 125], "100", "50", "SIGMOID"));
        Assert.Equal(0.119203, y[0], Precision);
        Assert.Equal(0.5, y[1], Precision);
        Assert.Equal(0.880797, y[2], Precision);
    }

    [Fact]
    public void Rescale_is_applied_before_the_window()
    {
        // m = 2 * stored - 1024; c = 0, w = 401 LINEAR: m = -200 -> (-199.5 / 400) + 0.5; m = 0 -> 0.5/400 + 0.5.
        var ds = Windowed([412, 512, 712], "0", "401");
        ds.AddOrUpdateDecimal(DicomTags.RescaleSlope, 2);
        ds.AddOrUpdateDecimal(DicomTags.RescaleIntercept, -1024);
        Assert.Equal([-200.0, 0, 400], DicomGrayscalePipeline.ModalityValues(ds, TestImages.Native));
        var y = Render(ds);
        Assert.Equal(0.00125, y[0], Precision);
        Assert.Equal(0.50125, y[1], Precision);
        Assert.Equal(1, y[2], Precision);
    }

    [Fact]
    public void Second_window_is_chosen_by_index()
    {
        var ds = Windowed([150, 200, 250], "100\\200", "50\\100", "LINEAR_EXACT");
        Assert.Equal([1f, 1f, 1f], Render(ds, 0));
        Assert.Equal([0f, 0.5f, 1f], Render(ds, 1));
    }

    [Fact]
    public void INVERSE_and_MONOCHROME1_each_invert_once()
    {
        var mono2 = Windowed([75, 100], "100", "50", "LINEAR_EXACT");
        Assert.Equal([0f, 0.5f], Render(mono2));
        mono2.AddOrUpdate(DicomTags.PresentationLUTShape, "INVERSE");
        Assert.Equal([1f, 0.5f], Render(mono2));
        var mono1 = TestImages.Grayscale16([75, 125], photometric: "MONOCHROME1");
        mono1.AddOrUpdate(DicomTags.WindowCenter, "100");
        mono1.AddOrUpdate(DicomTags.WindowWidth, "50");
        mono1.AddOrUpdate(DicomTags.VOILUTFunction, "LINEAR_EXACT");
        Assert.Equal([1f, 0f], Render(mono1));
        // A DX MONOCHROME1 image carries INVERSE for the same inversion (PS3.3 C.8.11.6.1.2), not a second one.
        mono1.AddOrUpdate(DicomTags.PresentationLUTShape, "INVERSE");
        Assert.Equal([1f, 0f], Render(mono1));
    }

    [Fact]
    public void Without_VOI_the_full_range_is_used()
    {
        Assert.Equal([0f, 0.5f, 1f, 0.25f], Render(TestImages.Grayscale16([10, 20, 30, 15])));
        var signed = TestImages.Grayscale16([0xFFF6, 0, 10], signed: true); // -10, 0, 10
        Assert.Equal([0f, 0.5f, 1f], Render(signed));
    }

    [Fact]
    public void Modality_LUT_Sequence_clamps_below_and_above_its_range()
    {
        var ds = TestImages.Grayscale16([9, 10, 12, 13, 20]);
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.LUTDescriptor, DicomVR.US, new ushort[] { 4, 10, 16 });
        item.AddOrUpdate(DicomTags.LUTData, DicomVR.OW, new ushort[] { 100, 200, 300, 400 });
        ds.AddSequence(DicomTags.ModalityLUTSequence, item);
        Assert.Equal([100.0, 100, 300, 400, 400], DicomGrayscalePipeline.ModalityValues(ds, TestImages.Native));
    }

    [Fact]
    public void VOI_LUT_Sequence_is_scaled_by_its_bits_per_entry()
    {
        var ds = TestImages.Grayscale16([0, 1, 5]);
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.LUTDescriptor, DicomVR.US, new ushort[] { 3, 0, 8 });
        item.AddOrUpdate(DicomTags.LUTData, DicomVR.OW, new ushort[] { 0, 128, 255 });
        ds.AddSequence(DicomTags.VOILUTSequence, item);
        var y = Render(ds);
        Assert.Equal(0, y[0], Precision);
        Assert.Equal(128 / 255.0, y[1], Precision);
        Assert.Equal(1, y[2], Precision);
    }

    [Theory]
    [InlineData("0", "LINEAR_EXACT")]
    [InlineData("0.5", null)]
    [InlineData("-3", "SIGMOID")]
    public void Invalid_window_width_is_a_typed_error(string width, string? function)
    {
        var e = Assert.Throws<DicomPixelDataException>(() => Render(Windowed([1], "10", width, function)));
        Assert.Contains("Window Width", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Colour_images_are_refused_by_the_grayscale_pipeline()
    {
        var ds = TestImages.Grayscale16([1, 2, 3]);
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)3);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, "RGB");
        ds.AddOrUpdate(DicomTags.Columns, (ushort)1);
        Assert.Throws<DicomPixelDataException>(() => Render(ds));
    }
}
