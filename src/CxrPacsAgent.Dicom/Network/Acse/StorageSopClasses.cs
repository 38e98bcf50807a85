using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Network.Acse;

/// <summary>Storage SOP classes (PS3.4 B.5) a store SCP accepts unless configured otherwise.</summary>
public static class StorageSopClasses
{
    /// <summary>Every Storage SOP class UID lies under this root (PS3.6 Table A-1).</summary>
    public const string Root = "1.2.840.10008.5.1.4.1.1.";

    /// <summary>The projection radiography classes a chest X-ray arrives as, and the objects we send back.</summary>
    public static IReadOnlyList<string> ChestRadiography { get; } =
    [
        DicomUids.ComputedRadiographyImageStorage,
        DicomUids.DigitalXRayImageStorageForPresentation,
        DicomUids.DigitalXRayImageStorageForProcessing,
        DicomUids.SecondaryCaptureImageStorage,
        DicomUids.Comprehensive3DSRStorage,
        DicomUids.ComprehensiveSRStorage,
        DicomUids.EnhancedSRStorage,
        DicomUids.BasicTextSRStorage,
    ];

    public static bool IsStorage(string sopClassUid) => sopClassUid.StartsWith(Root, StringComparison.Ordinal);
}
