using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.IO;

using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Imaging;

/// <summary>Native pixel data read by <see cref="DicomPixelData"/> equals pydicom's pixel_array, sample for sample.</summary>
[Collection(PixelSamplesCollection.Name)]
public sealed class NativePixelDataTests(PixelSamplesFixture samples)
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var name in PixelSamplesFixture.NativeFiles)
        {
            data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Samples_equal_pydicom_pixel_array(string name)
    {
        var path = samples.NativePath(name);
        var expected = PixelSamplesFixture.PydicomPixels(path);
        var actual = PixelSamplesFixture.OurPixels(path);
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(expected, actual);
        // The test objects use their whole range, so an unsigned reading of signed data could not pass.
        var d = PixelDescription.FromDataset(DicomFile.Open(path).Dataset);
        Assert.Equal(d.IsSigned, actual.Min() < 0);
    }

    /// <summary>
    /// Pixel data left on disk (every value deferred) is read frame by frame through a pooled buffer: the same samples,
    /// and the value is never loaded whole. The big-endian copy (dcmconv +tb) takes the word-swapping path.
    /// </summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void Samples_of_pixel_data_still_on_disk_equal_pydicom_without_loading_it(string name)
    {
        var path = samples.NativePath(name);
        var expected = PixelSamplesFixture.PydicomPixels(path);
        using var temp = new TestSupport.TempDirectory("cxr-deferred");
        var bigEndian = temp.File("be.dcm");
        PixelSamplesFixture.Run("dcmconv", ["+tb", path, bigEndian]);
        foreach (var file in new[] { path, bigEndian })
        {
            var read = DicomFile.Open(file, new DicomReadOptions { DeferThreshold = 2 });
            var d = PixelDescription.FromDataset(read.Dataset);
            var buffer = ((CxrPacsAgent.Dicom.Data.DicomElement)read.Dataset[CxrPacsAgent.Dicom.Data.DicomTags.PixelData]!).Buffer;
            Assert.True(buffer.IsDeferred);
            var actual = new int[d.SampleCount * d.NumberOfFrames];
            for (var f = 0; f < d.NumberOfFrames; f++)
            {
                Assert.Equal(d.SampleCount, DicomPixelData.GetFrameSamples(read.Dataset, read.TransferSyntax, f, actual.AsSpan(f * d.SampleCount)));
            }
            Assert.Equal(expected, actual);
            Assert.True(buffer.IsDeferred, "the pixel data were loaded whole");
        }
    }

    [Fact]
    public void Description_reads_the_image_pixel_module()
    {
        var d = PixelDescription.FromDataset(DicomFile.Open(samples.NativePath("frames2_rgb_planar1")).Dataset);
        Assert.Equal(new PixelDescription(7, 5, 3, 8, 8, 7, false, "RGB", 1, 2), d);
        var s12 = PixelDescription.FromDataset(DicomFile.Open(samples.NativePath("s12")).Dataset);
        Assert.Equal((16, 12, 11, true), (s12.BitsAllocated, s12.BitsStored, s12.HighBit, s12.IsSigned));
    }
}
