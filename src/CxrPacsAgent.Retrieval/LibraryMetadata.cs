using CxrPacsAgent.Retrieval.Patients;

namespace CxrPacsAgent.Retrieval;

/// <summary>
/// What describes a radiograph in the similar-study library: where it is in the PACS, the model that looked at it and
/// what that model said, and the site's reference label. Shared by the entry a caller stores (<see cref="LibraryEntry"/>)
/// and the record a search returns (<see cref="Storage.LibraryRecord"/>).
/// </summary>
public abstract record LibraryMetadata
{
    /// <summary>The model that made the entry's embedding, <see cref="Score"/> and <see cref="ModelLabel"/>.</summary>
    public required ModelIdentity Model { get; init; }

    public required string SopInstanceUid { get; init; }

    /// <summary>The image's SOP Class UID in the PACS; null for an entry made from a picture file (not in the PACS).</summary>
    public string? SopClassUid { get; init; }

    public required string SeriesInstanceUid { get; init; }

    public required string StudyInstanceUid { get; init; }

    public string? AccessionNumber { get; init; }

    /// <summary>The patient as a <see cref="PatientIdHasher"/> hash, never the id itself; null when unknown.</summary>
    public string? PatientKey { get; init; }

    /// <summary>When the image was acquired, in the modality's local time as DICOM gives it.</summary>
    public DateTime? AcquiredAt { get; init; }

    /// <summary>View Position (0018,5101), e.g. "PA" or "AP".</summary>
    public string? ViewPosition { get; init; }

    /// <summary>The model's score (probability of the positive class).</summary>
    public required float Score { get; init; }

    /// <summary>The model's call at its threshold (e.g. "PNEUMONIA"); null when it made none (out of distribution).</summary>
    public string? ModelLabel { get; init; }

    public ReferenceLabel? Reference { get; init; }
}
