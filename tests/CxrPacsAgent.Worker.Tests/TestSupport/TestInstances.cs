using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Imaging;

namespace CxrPacsAgent.Worker.Tests.TestSupport;

/// <summary>
/// DICOM instances for the service tests (the Worker's and, linked, the integration tests'), made from the shared adult
/// chest films: a frontal DX as a router forwards it, and the other things routers forward along with it (laterals,
/// CT, key object selections).
/// </summary>
internal static class TestInstances
{
    public const string PatientName = "SERVICE^TESTPATIENT";

    public const string PatientId = "PID-SVC-0815";

    public const string AccessionNumber = "ACC-SVC-4711";

    /// <summary>../shared/data beside the repository.</summary>
    public static string SharedData { get; } = Path.GetFullPath(Path.Combine(
        typeof(TestInstances).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!, "..", "shared", "data"));

    public static string AdultFilm(int n) => Path.Combine(SharedData, "adult-cxr-samples", $"adult-cxr-{n:00}.png");

    /// <summary>
    /// A 16-bit DX for presentation made from adult film <paramref name="film"/>: CHEST, <paramref name="view"/>,
    /// MONOCHROME2. A <paramref name="seed"/> adds a little noise, so that copies of one film differ in bytes and score.
    /// </summary>
    public static string FrontalDx(string folder, int film = 1, string view = "PA", string? studyUid = null, int? size = null,
        DicomTransferSyntax? syntax = null, int? seed = null, string patientId = PatientId)
    {
        var image = ImageFile.LoadGray(AdultFilm(film));
        var ds = Header(DicomUids.DigitalXRayImageStorageForPresentation, "DX", studyUid, patientId);
        ds.AddOrUpdate(DicomTags.BodyPartExamined, DicomVR.CS, "CHEST");
        ds.AddOrUpdate(DicomTags.ViewPosition, DicomVR.CS, view);
        var width = size ?? image.Width;
        var height = size ?? image.Height;
        AddPixels(ds, image, width, height, seed);
        return Save(ds, folder, syntax);
    }

    /// <summary>A small CT slice: forwarded with a study, skipped for its SOP class.</summary>
    public static string CtSlice(string folder, string? studyUid = null)
    {
        var ds = Header(DicomUids.CTImageStorage, "CT", studyUid);
        ds.AddOrUpdate(DicomTags.BodyPartExamined, DicomVR.CS, "CHEST");
        AddPixels(ds, ImageFile.LoadGray(AdultFilm(2)), 128, 128, null);
        return Save(ds, folder, null);
    }

    /// <summary>A Key Object Selection document (no pixel data), as PACS send with a study.</summary>
    public static string KeyObjectSelection(string folder, string? studyUid = null)
    {
        var ds = Header(DicomUids.KeyObjectSelectionDocumentStorage, "KO", studyUid);
        return Save(ds, folder, null);
    }

    private static DicomDataset Header(string sopClass, string modality, string? studyUid, string patientId = PatientId)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, sopClass);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, studyUid ?? DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, modality);
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, PatientName);
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, patientId);
        ds.AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, AccessionNumber);
        return ds;
    }

    private static void AddPixels(DicomDataset ds, GrayImage image, int width, int height, int? seed)
    {
        var noise = seed is { } s ? new Random(s) : null;
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.Rows, (ushort)height);
        ds.AddOrUpdate(DicomTags.Columns, (ushort)width);
        ds.AddOrUpdate(DicomTags.BitsAllocated, (ushort)16);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)12);
        ds.AddOrUpdate(DicomTags.HighBit, (ushort)11);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0);
        var pixels = new byte[width * height * 2];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                // Nearest neighbour from the film, scaled to 12 bits.
                var v = image[x * image.Width / width, y * image.Height / height];
                var value = (ushort)Math.Clamp((v * 4000f) + (noise?.Next(0, 40) ?? 0), 0, 4095);
                pixels[2 * ((y * width) + x)] = (byte)value;
                pixels[(2 * ((y * width) + x)) + 1] = (byte)(value >> 8);
            }
        }
        ds.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OW, pixels);
    }

    private static string Save(DicomDataset ds, string folder, DicomTransferSyntax? syntax)
    {
        var path = Path.Combine(folder, ds.GetString(DicomTags.SOPInstanceUID) + ".dcm");
        DicomFile.Create(ds, syntax ?? DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        return path;
    }

    /// <summary>
    /// A copy of <paramref name="path"/> in <paramref name="folder"/> whose pixel data stops half way (as a transfer cut
    /// short upstream leaves it): a well-formed data set that intake accepts and processing fails on.
    /// </summary>
    public static string WithPixelDataCutShort(string path, string folder)
    {
        var file = DicomFile.Open(path);
        var pixels = file.Dataset.GetValues<ushort>(DicomTags.PixelData);
        file.Dataset.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, pixels[..(pixels.Length / 2)]);
        var copy = Path.Combine(folder, Path.GetFileName(path));
        file.Save(copy);
        return copy;
    }

    public static string SopInstanceUid(string path) =>
        DicomFile.Open(path).Dataset.GetString(DicomTags.SOPInstanceUID) ?? throw new InvalidDataException(path);
}
