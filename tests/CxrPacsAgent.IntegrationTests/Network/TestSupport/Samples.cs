using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.IntegrationTests.Network.TestSupport;

/// <summary>The shared sample files (read-only) and test objects made from them or from scratch.</summary>
internal static class Samples
{
    public const string Root = "/work/shared/data/dicom-samples";

    /// <summary>CR, 16 bits allocated, Implicit VR Little Endian: the big-endian and transcoding cases bite here.</summary>
    public static string Cr16 => Path.Combine(Root, "chest_radiographs", "CR-MONO1-10-chest_fodicom-via-dcmfx.dcm");

    /// <summary>DX for presentation, Explicit VR Little Endian, with an odd-length pixel data value.</summary>
    public static string DxOdd => Path.Combine(Root, "chest_radiographs", "dx_image_highdicom.dcm");

    /// <summary>Secondary capture 1024×1024, Implicit VR Little Endian.</summary>
    public static string Sc1024 => Path.Combine(Root, "chest_radiographs", "NIH-CXR14_Covid0000_nhsx.dcm");

    public static string Codec(string name) => Path.Combine(Root, "secondary_capture_codecs", name);

    /// <summary>Every sample DICOM file.</summary>
    public static IReadOnlyList<string> All =>
        Directory.EnumerateFiles(Root, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// A synthetic 16-bit DX (the CXR the product receives) with random pixels and a made-up patient, so tests can
    /// check that patient data never reaches the log.
    /// </summary>
    public static string Dx16(string folder, int rows = 256, int columns = 256, int seed = 1, DicomTransferSyntax? syntax = null)
    {
        var ds = new DicomDataset();
        var instance = DicomUid.Generate();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, DicomUids.DigitalXRayImageStorageForPresentation);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, instance);
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "DX");
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, PatientName);
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, PatientId);
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.Rows, (ushort)rows);
        ds.AddOrUpdate(DicomTags.Columns, (ushort)columns);
        ds.AddOrUpdate(DicomTags.BitsAllocated, (ushort)16);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)12);
        ds.AddOrUpdate(DicomTags.HighBit, (ushort)11);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0);
        var pixels = new byte[rows * columns * 2];
        new Random(seed).NextBytes(pixels);
        for (var i = 1; i < pixels.Length; i += 2)
        {
            pixels[i] &= 0x0F;
        }
        ds.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OW, pixels);
        var path = Path.Combine(folder, instance + ".dcm");
        DicomFile.Create(ds, syntax ?? DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        return path;
    }

    public const string PatientName = "NETWORK^TESTPATIENT";

    public const string PatientId = "PID-NET-4711";

    /// <summary>Copies of <paramref name="source"/> with fresh SOP Instance UIDs, in its own transfer syntax.</summary>
    public static List<string> Copies(string source, string folder, int count)
    {
        var original = DicomFile.Open(source);
        var paths = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var uid = DicomUid.Generate();
            var dataset = original.Dataset.Clone();
            dataset.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, uid);
            var meta = original.FileMetaInformation.Clone();
            meta.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, uid);
            var path = Path.Combine(folder, uid + ".dcm");
            new DicomFile(meta, dataset).Save(path, original.TransferSyntax.IsWritable ? original.TransferSyntax : null);
            paths.Add(path);
        }
        return paths;
    }

    public static string SopInstanceUid(string path) =>
        DicomFile.Open(path).Dataset.GetString(DicomTags.SOPInstanceUID) ?? throw new InvalidDataException(path);

    /// <summary>Pixel data as little-endian native bytes, or the compressed fragments joined.</summary>
    public static byte[] PixelData(string path) => PixelData(DicomFile.Open(path).Dataset);

    public static byte[] PixelData(DicomDataset dataset) => dataset[DicomTags.PixelData] switch
    {
        DicomElement element => element.Buffer.Memory.ToArray(),
        DicomFragmentSequence fragments => fragments.Fragments.SelectMany(f => f.Memory.ToArray()).ToArray(),
        _ => [],
    };

    /// <summary>
    /// Asserts equal pixel data, allowing the one padding byte a re-encoder adds to an odd-length value (PS3.5 7.1.1).
    /// </summary>
    public static void AssertSamePixels(string expectedPath, string actualPath)
    {
        var expected = PixelData(expectedPath);
        var actual = PixelData(actualPath);
        if (expected.Length % 2 == 1 && actual.Length == expected.Length + 1 && actual[^1] == 0)
        {
            actual = actual[..^1];
        }
        Assert.Equal(expected, actual);
    }

    /// <summary>The bytes after the File Meta Information: what was sent verbatim must match these exactly.</summary>
    public static byte[] DatasetBytes(string path)
    {
        var file = DicomFile.Open(path);
        return File.ReadAllBytes(path).AsSpan((int)file.DatasetOffset).ToArray();
    }

    public static string TransferSyntaxOf(string path) => DicomFile.Open(path).TransferSyntax.Uid;
}
