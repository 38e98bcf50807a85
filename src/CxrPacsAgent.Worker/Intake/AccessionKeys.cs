using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Retrieval;
using CxrPacsAgent.Retrieval.Patients;
using CxrPacsAgent.Worker.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Intake;

/// <summary>
/// Accession Number (0008,0050) as intake records it: never in clear, only as the site's keyed hash, made by the one
/// hashing helper the patient ids use (<see cref="PatientIdHasher"/>, HMAC-SHA256 under the site's salt,
/// <c>Retrieval:SaltFile</c>), with the accession number's tag as the issuer so that an accession and a patient id
/// that happen to be equal never share a key. The same accession gets the same key, so an administrator can find a
/// study by hashing the number the same way; nobody can read it back without the salt.
/// </summary>
public sealed partial class AccessionKeys(AgentPaths paths, IOptions<RetrievalOptions> options, ILogger<AccessionKeys> logger)
{
    /// <summary>The "issuer" under which accession numbers are hashed, keeping them apart from patient ids.</summary>
    public const string Issuer = "(0008,0050)";

    private PatientIdHasher? hasher;

    /// <summary>The key of an accession number; null when there is none.</summary>
    public string? Key(string? accessionNumber) => Hasher().Hash(accessionNumber, Issuer);

    /// <summary>
    /// The key of the accession number in a received file's header; null when it has none, the header cannot be read
    /// (the pipeline then reports the damage; intake does not refuse for it) or the salt cannot be read (logged; the
    /// study is received all the same, without its key).
    /// </summary>
    public string? KeyOf(string path)
    {
        string? accession;
        try
        {
            accession = DicomFile.Open(path, new DicomReadOptions { StopAt = DicomTags.PixelData }).Dataset.GetString(DicomTags.AccessionNumber);
        }
        catch (Exception e) when (e is DicomFormatException or IOException)
        {
            return null;
        }
        try
        {
            return Key(accession);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RetrievalException)
        {
            LogNoSalt(e.Message);
            return null;
        }
    }

    // Loaded on first use and kept; a failure is not kept, so the next instance tries again.
    private PatientIdHasher Hasher() => hasher ??= new PatientIdHasher(PatientIdSalt.LoadOrCreate(options.Value.SaltPath(paths)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accession number not recorded: the site's salt cannot be read ({Reason})")]
    private partial void LogNoSalt(string reason);
}
