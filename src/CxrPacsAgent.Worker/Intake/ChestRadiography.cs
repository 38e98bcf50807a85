using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Worker.Intake;

/// <summary>
/// The SOP classes a chest radiograph arrives as: what <c>Dicom:RefuseUnwanted</c> narrows negotiation to. The view
/// filter (Imaging's <c>FrontalChestFilter</c>) decides what is scored among them.
/// </summary>
public static class ChestRadiography
{
    public static IReadOnlyList<string> SopClasses { get; } =
    [
        DicomUids.ComputedRadiographyImageStorage,
        DicomUids.DigitalXRayImageStorageForPresentation,
        DicomUids.DigitalXRayImageStorageForProcessing,
        DicomUids.SecondaryCaptureImageStorage,
    ];
}
