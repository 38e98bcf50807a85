using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Imaging;

namespace CxrPacsAgent.IntegrationTests.Service.Support;

/// <summary>What a router forwards to the agent, made from the shared adult chest films.</summary>
internal static class ServiceInstances
{
    public const string PatientName = "ROUTED^TESTPATIENT";

    public const string PatientId = "PID-ROUTE-31337";

    /// <summary>../shared/data beside the repository.</summary>
    public static string SharedData { get; } = Path.GetFullPath(Path.Combine(
        typeof(ServiceInstances).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!, "..", "shared", "data"));

    private static readonly Lazy<GrayImage> Film = new(() =>
        ImageFile.LoadGray(Path.Combine(SharedData, "adult-cxr-samples", "adult-cxr-07.png")));

    /// <summary>A 16-bit DX for presentation: CHEST, <paramref name="view"/>, <paramref name="size"/> pixels a side.</summary>
    public static string Dx(string folder, int size = 256, string view = "PA", string? studyUid = null, int seed = 0) =>
        Save(folder, Header(DicomUids.DigitalXRayImageStorageForPresentation, "DX", studyUid, view, "CHEST"), size, seed);

    public static string Ct(string folder, string? studyUid = null) =>
        Save(folder, Header(DicomUids.CTImageStorage, "CT", studyUid, null, "CHEST"), 128, 0);

    public static string KeyObjectSelection(string folder, string? studyUid = null)
    {
        var ds = Header(DicomUids.KeyObjectSelectionDocumentStorage, "KO", studyUid, null, null);
        var path = Path.Combine(folder, ds.GetString(DicomTags.SOPInstanceUID) + ".dcm");
        DicomFile.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        return path;
    }

    private static DicomDataset Header(string sopClass, string modality, string? studyUid, string? view, string? bodyPart)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, sopClass);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, studyUid ?? DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, modality);
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, PatientName);
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, PatientId);
        if (bodyPart is not null)
        {
            ds.AddOrUpdate(DicomTags.BodyPartExamined, DicomVR.CS, bodyPart);
        }
        if (view is not null)
        {
            ds.AddOrUpdate(DicomTags.ViewPosition, DicomVR.CS, view);
        }
        return ds;
    }

    private static string Save(string folder, DicomDataset ds, int size, int seed)
    {
        var film = Film.Value;
        var noise = new Random(seed);
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.Rows, (ushort)size);
        ds.AddOrUpdate(DicomTags.Columns, (ushort)size);
        ds.AddOrUpdate(DicomTags.BitsAllocated, (ushort)16);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)12);
        ds.AddOrUpdate(DicomTags.HighBit, (ushort)11);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0);
        var pixels = new byte[size * size * 2];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                // The film, with a little noise per seed so every instance's bytes (and score) differ.
                var v = (ushort)Math.Clamp((film[x * film.Width / size, y * film.Height / size] * 4000f) + noise.Next(0, 40), 0, 4095);
                pixels[2 * ((y * size) + x)] = (byte)v;
                pixels[(2 * ((y * size) + x)) + 1] = (byte)(v >> 8);
            }
        }
        ds.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OW, pixels);
        var path = Path.Combine(folder, ds.GetString(DicomTags.SOPInstanceUID) + ".dcm");
        DicomFile.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        return path;
    }

    public static string SopInstanceUid(string path) =>
        DicomFile.Open(path).Dataset.GetString(DicomTags.SOPInstanceUID) ?? throw new InvalidDataException(path);
}
