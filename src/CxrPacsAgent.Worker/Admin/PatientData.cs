using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Worker.Intake;

namespace CxrPacsAgent.Worker.Admin;

/// <summary>
/// Patient name, patient id and accession number from a study's spool copy, for <c>Admin:ShowPatientData</c>. The
/// agent keeps no patient data in its state (the accession number only as a keyed hash), so once the clean-up has
/// removed the copy there is nothing to show.
/// </summary>
public sealed class PatientData(Spool spool)
{
    /// <summary>Accession numbers remembered by spool file (a name is never reused for other bytes), so the study list does not reread headers each second.</summary>
    private const int MaxRemembered = 2000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> accessions = new(StringComparer.Ordinal);

    /// <summary>The accession number in the spool copy; null when the copy is gone, unreadable or has none.</summary>
    public string? AccessionNumber(string spoolFile)
    {
        ArgumentNullException.ThrowIfNull(spoolFile);
        var path = spool.PathOf(spoolFile);
        if (!File.Exists(path))
        {
            accessions.TryRemove(spoolFile, out _);
            return null;
        }
        if (accessions.TryGetValue(spoolFile, out var known))
        {
            return known;
        }
        string? accession;
        try
        {
            accession = DicomFile.Open(path, new DicomReadOptions { StopAt = DicomTags.PixelData }).Dataset.GetString(DicomTags.AccessionNumber)?.Trim();
        }
        catch (Exception e) when (e is DicomFormatException or IOException)
        {
            return null;
        }
        if (accessions.Count >= MaxRemembered)
        {
            accessions.Clear();
        }
        accessions[spoolFile] = accession;
        return accession;
    }

    public JsonObject Read(string spoolFile)
    {
        var path = spool.PathOf(spoolFile);
        if (!File.Exists(path))
        {
            return new JsonObject { ["available"] = false, ["why"] = "the spool copy has been removed (Housekeeping:KeepProcessedFor)" };
        }
        try
        {
            var data = DicomFile.Open(path, new DicomReadOptions { StopAt = DicomTags.PixelData }).Dataset;
            return new JsonObject
            {
                ["available"] = true,
                ["patientName"] = data.GetString(DicomTags.PatientName),
                ["patientId"] = data.GetString(DicomTags.PatientID),
                ["accessionNumber"] = data.GetString(DicomTags.AccessionNumber),
            };
        }
        catch (Exception e) when (e is DicomFormatException or IOException)
        {
            return new JsonObject { ["available"] = false, ["why"] = e.Message };
        }
    }
}
