using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Reports;

/// <summary>
/// Copies what makes a new instance belong with its source: the Patient, General Study and Patient Study modules
/// (PS3.3 C.7.1.1, C.7.2.1, C.7.2.2) and the Specific Character Set, value for value, so names keep the source's
/// bytes and character set. Type 2 attributes the source lacks are written empty, as the modules require.
/// </summary>
public static class StudyContext
{
    /// <summary>Type 2 attributes of the Patient and General Study modules: present, possibly empty.</summary>
    public static readonly IReadOnlyList<DicomTag> Type2 =
    [
        DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex,
        DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.ReferringPhysicianName, DicomTags.StudyID, DicomTags.AccessionNumber,
    ];

    /// <summary>Type 3 attributes copied when the source has them.</summary>
    public static readonly IReadOnlyList<DicomTag> Optional =
    [
        DicomTags.IssuerOfPatientID, DicomTags.IssuerOfPatientIDQualifiersSequence, DicomTags.PatientBirthTime,
        DicomTags.OtherPatientIDsSequence, DicomTags.PatientComments, DicomTags.EthnicGroup, DicomTags.PatientIdentityRemoved,
        DicomTags.PatientSpeciesDescription, DicomTags.PatientSpeciesCodeSequence, DicomTags.PatientBreedDescription,
        DicomTags.ResponsiblePerson, DicomTags.ResponsiblePersonRole, DicomTags.ResponsibleOrganization, DicomTags.QualityControlSubject,
        DicomTags.IssuerOfAccessionNumberSequence, DicomTags.StudyDescription, DicomTags.PhysiciansOfRecord,
        DicomTags.NameOfPhysiciansReadingStudy, DicomTags.ReferencedStudySequence, DicomTags.ProcedureCodeSequence,
        DicomTags.RequestingService, DicomTags.PatientAge, DicomTags.PatientSize, DicomTags.PatientWeight,
        DicomTags.AdmittingDiagnosesDescription, DicomTags.AdditionalPatientHistory, DicomTags.PatientSexNeutered,
        DicomTags.MedicalAlerts, DicomTags.Allergies, DicomTags.PregnancyStatus, DicomTags.Occupation, DicomTags.SmokingStatus,
        DicomTags.TimezoneOffsetFromUTC,
    ];

    /// <summary>Copies the modules from <paramref name="source"/> into <paramref name="target"/> (sequences deep-copied).</summary>
    /// <exception cref="ArgumentException">The source has no Study Instance UID (Type 1).</exception>
    public static void Copy(DicomDataset source, DicomDataset target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var study = source.GetString(DicomTags.StudyInstanceUID)?.Trim();
        if (study is null || !DicomUid.IsValid(study))
        {
            throw new ArgumentException($"the source has no valid Study Instance UID (0020,000D): '{study}'", nameof(source));
        }
        if (source.TryGetItem(DicomTags.SpecificCharacterSet, out var charset))
        {
            target.Add(charset);
        }
        target.AddOrUpdate(DicomTags.StudyInstanceUID, study);
        foreach (var tag in Type2)
        {
            if (source.TryGetItem(tag, out var item))
            {
                target.Add(Copy(item));
            }
            else
            {
                target.Add(new DicomElement(tag, DicomDictionary.GetVR(tag), ReadOnlyMemory<byte>.Empty));
            }
        }
        foreach (var tag in Optional)
        {
            if (source.TryGetItem(tag, out var item))
            {
                target.Add(Copy(item));
            }
        }
    }

    /// <summary>Elements are immutable and shared; a sequence is rebuilt so the source's items keep their parent.</summary>
    private static DicomItem Copy(DicomItem item) =>
        item is DicomSequence sequence ? new DicomSequence(sequence.Tag, sequence.Items.Select(i => i.Clone())) : item;
}
