using CxrPacsAgent.Retrieval.Patients;

namespace CxrPacsAgent.Retrieval;

/// <summary>
/// One radiograph for the similar-study library: what identifies it in the PACS, the model's embedding, score and call,
/// an optional reference label, and two images the caller encoded: the copy that re-embedding needs (so a new model can
/// be run on the library without the originals) and a thumbnail for the Secondary Capture.
/// </summary>
public sealed record LibraryEntry
{
    /// <summary>The model that made <see cref="Embedding"/>, <see cref="Score"/> and <see cref="ModelLabel"/>.</summary>
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

    /// <summary>The model's embedding as it came out (normalised by the index, stored as given).</summary>
#pragma warning disable CA1819 // The vector is handed over once; copying it per access would be waste.
    public required float[] Embedding { get; init; }
#pragma warning restore CA1819

    /// <summary>What re-embedding needs (see docs/retrieval.md); null when the caller keeps none.</summary>
    public EncodedImage? ReembeddingImage { get; init; }

    public EncodedImage? Thumbnail { get; init; }

    /// <summary>The first rule this entry breaks, or null when it can be stored.</summary>
    internal string? Problem()
    {
        if (Model is null)
        {
            return "an entry needs the identity of its model";
        }
        if (!UidSyntax.IsValid(SopInstanceUid) || !UidSyntax.IsValid(SeriesInstanceUid) || !UidSyntax.IsValid(StudyInstanceUid))
        {
            return "SOP, Series and Study Instance UIDs must be valid UIDs (digits and dots, at most 64 characters)";
        }
        if (SopClassUid is not null && !UidSyntax.IsValid(SopClassUid))
        {
            return "the SOP Class UID must be a valid UID (digits and dots, at most 64 characters)";
        }
        if (PatientKey is not null && !PatientIdHasher.IsHash(PatientKey))
        {
            return "the patient key must be a PatientIdHasher hash (64 hex digits), never the patient id itself";
        }
        if (!float.IsFinite(Score))
        {
            return "the score must be a finite number";
        }
        if (Embedding is null)
        {
            return "an entry needs its embedding";
        }
        return null;
    }
}
