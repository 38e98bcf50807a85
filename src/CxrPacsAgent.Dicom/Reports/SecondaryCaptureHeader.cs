namespace CxrPacsAgent.Dicom.Reports;

/// <summary>What a Secondary Capture image says about itself and where it came from (PS3.3 A.8.1).</summary>
public sealed record SecondaryCaptureHeader
{
    public required string SopInstanceUid { get; init; }

    public required string SeriesInstanceUid { get; init; }

    public int SeriesNumber { get; init; } = 1;

    public string? SeriesDescription { get; init; }

    public int InstanceNumber { get; init; } = 1;

    /// <summary>Content, capture and instance creation date/time.</summary>
    public required DateTimeOffset ContentDateTime { get; init; }

    /// <summary>General Series Modality (0008,0060); OT (other) by default, as for derived pictures.</summary>
    public string Modality { get; init; } = "OT";

    /// <summary>Conversion Type (0008,0064), SC Equipment module: WSD (workstation) for a picture a program drew.</summary>
    public string ConversionType { get; init; } = "WSD";

    /// <summary>Body Part Examined (0018,0015) when the source does not say it; the source's own value is kept.</summary>
    public string? BodyPartExamined { get; init; }

    public required Equipment Equipment { get; init; }

    public IReadOnlyList<ContributingEquipment> ContributingEquipment { get; init; } = [];

    /// <summary>Derivation Description (0008,2111): how the picture was made, in words.</summary>
    public required string DerivationDescription { get; init; }

    /// <summary>Derivation Code Sequence (0008,9215), CID 7203 Image Derivation.</summary>
    public IReadOnlyList<CodedConcept> DerivationCodes { get; init; } = [];

    /// <summary>Source Image Sequence (0008,2112), each with Purpose of Reference "Source image for image processing operation".</summary>
    public IReadOnlyList<SopReference> SourceImages { get; init; } = [];

    /// <summary>
    /// Burned In Annotation (0028,0301): YES when the pixels hold text or pictures that could identify the patient
    /// (drawn ones, or the source's own when it declares or may have them).
    /// </summary>
    public required bool BurnedInAnnotation { get; init; }
}
