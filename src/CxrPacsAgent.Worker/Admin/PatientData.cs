using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Worker.Intake;

namespace CxrPacsAgent.Worker.Admin;

/// <summary>
/// Patient name, patient id and accession number from a study's spool copy, for <c>Admin:ShowPatientData</c>. The
/// agent keeps no patient data in its state, so once the clean-up has removed the copy there is nothing to show.
/// </summary>
public sealed class PatientData(Spool spool)
{
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
