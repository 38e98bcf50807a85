using System.Globalization;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Retrieval.Patients;

namespace CxrPacsAgent.Worker.Retrieval;

/// <summary>What names an image in the library: its UIDs, accession, patient key (hashed here), acquisition time and view.</summary>
internal sealed record ImageIdentity(string SopInstanceUid, string SeriesInstanceUid, string StudyInstanceUid, string? AccessionNumber,
    string? PatientKey, DateTime? AcquiredAt, string? ViewPosition)
{
    /// <summary>SOP Class UID in the PACS; null for a picture file.</summary>
    public string? SopClassUid { get; init; }

    /// <summary>From a DICOM header; the patient id goes through <paramref name="hasher"/> and is never kept.</summary>
    public static ImageIdentity FromDataset(DicomDataset dataset, PatientIdHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(hasher);
        string Required(DicomTag tag, string name) => dataset.GetString(tag)?.Trim('\0', ' ')
            ?? throw new InvalidDataException($"the image has no {name}; it cannot be named in the library");
        return new ImageIdentity(
            Required(DicomTags.SOPInstanceUID, "SOP Instance UID"),
            Required(DicomTags.SeriesInstanceUID, "Series Instance UID"),
            Required(DicomTags.StudyInstanceUID, "Study Instance UID"),
            dataset.GetString(DicomTags.AccessionNumber),
            hasher.Hash(dataset.GetString(DicomTags.PatientID), dataset.GetString(DicomTags.IssuerOfPatientID)),
            AcquisitionTime(dataset),
            dataset.GetString(DicomTags.ViewPosition))
        {
            SopClassUid = dataset.GetString(DicomTags.SOPClassUID)?.Trim('\0', ' ') is { Length: > 0 } sopClass ? sopClass : null,
        };
    }

    /// <summary>
    /// A research picture (PNG/JPEG) has no UIDs: each gets name-based ones from its data set and path, the same on every
    /// run, one study per image; the patient is the labels file's patient_id, hashed.
    /// </summary>
    public static ImageIdentity ForResearchFile(string dataSet, string relativePath, string? patientId, PatientIdHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        var name = $"{dataSet}/{relativePath.Replace('\\', '/')}";
        return new ImageIdentity(NameBasedUid.From("sop", name), NameBasedUid.From("series", name), NameBasedUid.From("study", name),
            null, hasher.Hash(patientId, dataSet), null, null);
    }

    /// <summary>Acquisition DateTime (0008,002A), else Acquisition Date and Time, else Content, else Study; local time as given.</summary>
    private static DateTime? AcquisitionTime(DicomDataset dataset)
    {
        if (dataset.GetString(DicomTags.AcquisitionDateTime) is { Length: >= 8 } dt)
        {
            return Parse(dt[..8], dt.Length > 8 ? dt[8..].Split('+', '-')[0] : null);
        }
        foreach (var (date, time) in new[]
        {
            (DicomTags.AcquisitionDate, DicomTags.AcquisitionTime), (DicomTags.ContentDate, DicomTags.ContentTime),
            (DicomTags.StudyDate, DicomTags.StudyTime),
        })
        {
            if (dataset.GetString(date) is { Length: 8 } day)
            {
                return Parse(day, dataset.GetString(time));
            }
        }
        return null;
    }

    private static DateTime? Parse(string date, string? time)
    {
        if (!DateTime.TryParseExact(date, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return null;
        }
        var digits = new string((time ?? "").TakeWhile(c => char.IsAsciiDigit(c)).ToArray()).PadRight(6, '0');
        if (digits.Length < 6 || !int.TryParse(digits[..2], CultureInfo.InvariantCulture, out var h) || h > 23
            || !int.TryParse(digits[2..4], CultureInfo.InvariantCulture, out var m) || m > 59
            || !int.TryParse(digits[4..6], CultureInfo.InvariantCulture, out var s) || s > 60)
        {
            return day;
        }
        return day.AddHours(h).AddMinutes(m).AddSeconds(Math.Min(s, 59));
    }
}
