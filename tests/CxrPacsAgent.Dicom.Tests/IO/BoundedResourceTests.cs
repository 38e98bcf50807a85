using System.Diagnostics;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.IO;

/// <summary>Lengths are checked before anything is allocated, so a few bytes cannot make the reader take gigabytes.</summary>
public class BoundedResourceTests
{
    [Fact]
    public void A_tiny_input_claiming_a_4_GB_value_allocates_nothing_of_that_size()
    {
        var data = new ByteBuilder().Explicit(DicomTags.PixelData, "OB", 0xFFFFFFF0).Raw(0, 0, 0, 0).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<DicomFormatException>(() => DicomDatasetReader.Read(data, DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64 * 1024);
    }

    [Fact]
    public void A_small_file_on_disk_claiming_4_GB_fails_without_reading_past_its_end()
    {
        using var temp = new TempDirectory();
        var path = temp.File("claims-4gb.dcm");
        File.WriteAllBytes(path, ByteBuilder.FileStart(DicomUids.ExplicitVRLittleEndian)
            .Explicit(DicomTags.PixelData, "OW", 0xFFFFFFF0).Raw(0, 0, 0, 0).ToArray());
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DicomFormatException>(() => DicomFile.Open(path));
        Assert.Equal(DicomTags.PixelData, e.Tag);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 256 * 1024);
    }

    [Fact]
    public void Many_items_claiming_large_lengths_cost_time_in_proportion_to_the_input()
    {
        // 100,000 empty items in one sequence: linear work, not a pause per claimed length.
        var data = new ByteBuilder().Explicit(DicomTags.ReferencedImageSequence, "SQ", 0xFFFFFFFF);
        for (var i = 0; i < 100_000; i++)
        {
            data.Item(0);
        }
        var bytes = data.SequenceEnd().ToArray();
        var clock = Stopwatch.StartNew();
        var dataset = DicomDatasetReader.Read(bytes, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal(100_000, dataset.GetSequence(DicomTags.ReferencedImageSequence)!.Items.Count);
        Assert.InRange(clock.ElapsedMilliseconds, 0, 5_000);
    }

    [Fact]
    public void Half_a_million_elements_in_descending_order_are_sorted_in_linear_time()
    {
        // PS3.5 7.1 wants ascending tags; readers sort what is not. The reader appends and sorts each data set once,
        // so 4 MB of reversed elements take well under a second; inserting each in place took minutes.
        var data = new ByteBuilder();
        for (var group = 0x0011; group >= 0x0009; group -= 2)
        {
            for (var element = 0xFFFF; element >= 0x1000; element -= 1)
            {
                data.Implicit(new DicomTag((ushort)group, (ushort)element), 0);
            }
        }
        var bytes = data.ToArray();
        var clock = Stopwatch.StartNew();
        var dataset = DicomDatasetReader.Read(bytes, DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.Equal(5 * 0xF000, dataset.Count);
        Assert.True(dataset.Select(i => i.Tag).SequenceEqual(dataset.Select(i => i.Tag).Order()), "not kept in tag order");
        Assert.InRange(clock.ElapsedMilliseconds, 0, 10_000);
    }

    [Fact]
    public void A_repeated_tag_keeps_the_value_read_last()
    {
        var bytes = new ByteBuilder()
            .Implicit(DicomTags.PatientID, 2).Raw((byte)'A', (byte)' ')
            .Implicit(DicomTags.PatientName, 2).Raw((byte)'X', (byte)' ')
            .Implicit(DicomTags.PatientID, 2).Raw((byte)'B', (byte)' ')
            .ToArray();
        var dataset = DicomDatasetReader.Read(bytes, DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.Equal(2, dataset.Count);
        Assert.Equal("B", dataset.GetString(DicomTags.PatientID));
    }

    [Fact]
    public void A_deflate_bomb_is_rejected_at_the_configured_bound()
    {
        using var temp = new TempDirectory();
        var path = temp.File("bomb.dcm");
        var dataset = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomUids.SecondaryCaptureImageStorage)
            .AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3.4")
            .AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OB, new byte[8 << 20]);
        DicomFile.Create(dataset, DicomTransferSyntax.DeflatedExplicitVRLittleEndian).Save(path);
        Assert.InRange(new FileInfo(path).Length, 0, 64 * 1024);
        var e = Assert.Throws<DicomFormatException>(() => DicomFile.Open(path, new DicomReadOptions { MaxInflatedLength = 1 << 20 }));
        Assert.Contains("inflates past 1048576 bytes", e.Message, StringComparison.Ordinal);
        Assert.Equal(8 << 20, DicomFile.Open(path).Dataset.GetValues<byte>(DicomTags.PixelData).Length);
    }
}
