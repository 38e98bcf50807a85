using CxrPacsAgent.Retrieval.Patients;

namespace CxrPacsAgent.Retrieval;

/// <summary>
/// One radiograph for the similar-study library: its description (<see cref="LibraryMetadata"/>), the model's embedding,
/// and two images the caller encoded: the copy that re-embedding needs (so a new model can
/// be run on the library without the originals) and a thumbnail for the Secondary Capture.
/// </summary>
public sealed record LibraryEntry : LibraryMetadata
{
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
