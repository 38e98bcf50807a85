using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Retrieval.Patients;
using CxrPacsAgent.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Intake;

/// <summary>
/// Accession Number (0008,0050) as intake records it: never in clear, only as the site's keyed hash, made by the one
/// hashing helper the patient ids use (<see cref="PatientIdHasher"/>, HMAC-SHA256 under the site's salt,
/// <c>Retrieval:SaltFile</c>), with the accession number's tag as the issuer so that an accession and a patient id
/// that happen to be equal never share a key. The same accession gets the same key, so an administrator can find a
/// study by hashing the number the same way; nobody can read it back without the salt.
/// </summary>
public sealed class AccessionKeys(AgentPaths paths, IOptions<RetrievalOptions> options)
{
    /// <summary>The "issuer" under which accession numbers are hashed, keeping them apart from patient ids.</summary>
    public const string Issuer = "(0008,0050)";

    private readonly Lazy<PatientIdHasher> hasher = new(() => new PatientIdHasher(PatientIdSalt.LoadOrCreate(
        options.Value.SaltFile.Length > 0 ? Path.GetFullPath(options.Value.SaltFile) : Path.Combine(paths.StateFolder, PatientIdSalt.DefaultFileName))));

    /// <summary>The key of an accession number; null when there is none.</summary>
    public string? Key(string? accessionNumber) => hasher.Value.Hash(accessionNumber, Issuer);

    /// <summary>
    /// The key of the accession number in a received file's header; null when it has none or the header cannot be
    /// read (the pipeline then reports the damage; intake does not refuse for it).
    /// </summary>
    public string? KeyOf(string path)
    {
        try
        {
            return Key(DicomFile.Open(path, new DicomReadOptions { StopAt = DicomTags.PixelData }).Dataset.GetString(DicomTags.AccessionNumber));
        }
        catch (Exception e) when (e is DicomFormatException or IOException)
        {
            return null;
        }
    }
}
