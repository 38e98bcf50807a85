using System.Buffers.Binary;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.IO;

/// <summary>
/// What the writer pads to even length: a deflated data set (PS3.5 A.5, one trailing NUL after an odd stream) and
/// encapsulated fragments (PS3.5 A.4, a trailing 00H), with the offset tables moved to match. pydicom judges the files.
/// </summary>
public class EvenLengthWriteTests
{
    [Fact]
    public void A_deflated_data_set_of_either_parity_is_written_even_and_reads_back()
    {
        using var folder = new TempDirectory("cxr-deflate");
        var parities = new HashSet<long>();
        for (var seed = 0; parities.Count < 2 && seed < 50; seed++)
        {
            var file = DicomFile.Create(Dataset(seed), DicomTransferSyntax.DeflatedExplicitVRLittleEndian);
            var path = folder.File($"deflated-{seed}.dcm");
            file.Save(path);
            var read = DicomFile.Open(path);
            var streamLength = new FileInfo(path).Length - read.DatasetOffset;
            Assert.Equal(0, streamLength % 2);
            // Whether the NUL was needed: the same stream without padding is one byte shorter exactly when it was odd.
            using var unpadded = new MemoryStream();
            using (var deflate = new System.IO.Compression.DeflateStream(unpadded, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            {
                DicomDatasetWriter.Write(deflate, file.Dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
            }
            Assert.Equal(unpadded.Length + (unpadded.Length % 2), streamLength);
            Assert.Equal(file.Dataset.GetString(DicomTags.PatientID), read.Dataset.GetString(DicomTags.PatientID));
            if (parities.Add(unpadded.Length % 2))
            {
                Assert.Equal(file.Dataset.GetString(DicomTags.PatientID), Pydicom(path, "PatientID"));
            }
        }
        Assert.Equal(2, parities.Count);
    }

    [Fact]
    public void Odd_fragments_are_padded_and_both_offset_tables_follow()
    {
        using var folder = new TempDirectory("cxr-fragments");
        // Two frames of one fragment each, the first odd: frame 1's fragment moves by one byte.
        byte[] first = [.. Enumerable.Range(1, 7).Select(i => (byte)i)], second = [9, 8, 7, 6];
        var dataset = Dataset(0);
        dataset.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, "2");
        var pixels = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        pixels.OffsetTable = DicomBuffer.From(Offsets32(0, 8 + 7));
        pixels.Fragments.Add(DicomBuffer.From(first));
        pixels.Fragments.Add(DicomBuffer.From(second));
        dataset.Add(pixels);
        dataset.AddOrUpdateBytes(DicomTags.ExtendedOffsetTable, DicomVR.OV, Offsets64(0, 8 + 7));
        dataset.AddOrUpdateBytes(DicomTags.ExtendedOffsetTableLengths, DicomVR.OV, Offsets64(7, 4));
        var path = folder.File("fragments.dcm");
        DicomFile.Create(dataset, DicomTransferSyntax.EncapsulatedUncompressedExplicitVRLittleEndian).Save(path);

        var read = (DicomFragmentSequence)DicomFile.Open(path).Dataset[DicomTags.PixelData]!;
        Assert.Equal([8L, 4L], read.Fragments.Select(f => f.Length));
        Assert.Equal(0, read.Fragments[0].Memory.Span[^1]);
        Assert.Equal([0u, 16u], read.GetOffsets());
        var extended = DicomFile.Open(path).Dataset.GetValues<ulong>(DicomTags.ExtendedOffsetTable);
        Assert.Equal([0ul, 16ul], extended);
        // The frames found through the tables are still the frames written (the padding is past frame 0's length).
        var again = DicomFile.Open(path).Dataset;
        Assert.Equal(second, EncapsulatedFramesOf(again, 1));
        Assert.Equal("2", Pydicom(path, "NumberOfFrames"));
    }

    private static byte[] EncapsulatedFramesOf(DicomDataset dataset, int frame)
    {
        using var bytes = EncapsulatedFrames.GetFrame(dataset, (DicomFragmentSequence)dataset[DicomTags.PixelData]!, frame, 2);
        return bytes.Memory.ToArray();
    }

    private static DicomDataset Dataset(int seed)
    {
        var random = new Random(seed);
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, DicomUids.SecondaryCaptureImageStorage);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, $"ID{random.Next(1000, 9999)}");
        var noise = new byte[200 + random.Next(200)];
        random.NextBytes(noise);
        ds.AddOrUpdate(DicomTags.ImageComments, DicomVR.LT, Convert.ToBase64String(noise));
        return ds;
    }

    private static byte[] Offsets32(params uint[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), values[i]);
        }
        return bytes;
    }

    private static byte[] Offsets64(params ulong[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8 * i), values[i]);
        }
        return bytes;
    }

    /// <summary>One attribute as pydicom reads it from the file (it inflates and walks fragments itself).</summary>
    private static string Pydicom(string path, string keyword) =>
        ExternalProcess.Python("-c", [$"import pydicom,sys; print(pydicom.dcmread(sys.argv[1]).{keyword})", path]).Stdout.Trim();
}
