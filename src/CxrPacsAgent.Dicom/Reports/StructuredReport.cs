using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Reports;

/// <summary>
/// Builds an SR document (Comprehensive, Comprehensive 3D, Enhanced or CAD SR IOD, PS3.3 A.35) for the study of a
/// source instance: patient and study copied from the source, a new SR series, UNVERIFIED (the toolkit writes no
/// verifying observer: a machine's result is never verified by the machine), and the content tree.
/// </summary>
public static class StructuredReport
{
    public static DicomDataset Build(DicomDataset source, StructuredReportHeader header, ContainerItem root)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(root);
        CheckEvidence(header, root);
        // SOP Common, SR Document Series.
        var (ds, when) = NewInstance.Start(source, header.SopClassUid, header.SopInstanceUid, "SR", header.SeriesInstanceUid,
            header.SeriesNumber, header.SeriesDescription, header.ContentDateTime, header.ContributingEquipment);
        CodingScheme.Write(ds, header.CodingSchemes);
        ds.AddSequence(DicomTags.ReferencedPerformedProcedureStepSequence);

        header.Equipment.WriteTo(ds);

        // SR Document General.
        ds.AddOrUpdate(DicomTags.InstanceNumber, NewInstance.Integer(header.InstanceNumber));
        ds.AddOrUpdate(DicomTags.CompletionFlag, header.Complete ? "COMPLETE" : "PARTIAL");
        ds.AddOrUpdate(DicomTags.VerificationFlag, "UNVERIFIED");
        if (header.Preliminary is { } preliminary)
        {
            ds.AddOrUpdate(DicomTags.PreliminaryFlag, preliminary ? "PRELIMINARY" : "FINAL");
        }
        ds.AddOrUpdate(DicomTags.ContentDate, DicomDateTimes.Date(when));
        ds.AddOrUpdate(DicomTags.ContentTime, DicomDateTimes.Time(when));
        ds.AddSequence(DicomTags.PerformedProcedureCodeSequence);
        EvidenceReferences.Write(ds, DicomTags.CurrentRequestedProcedureEvidenceSequence, header.CurrentRequestedProcedureEvidence);
        EvidenceReferences.Write(ds, DicomTags.PertinentOtherEvidenceSequence, header.PertinentOtherEvidence);

        // SR Document Content.
        ContentTreeWriter.Write(ds, root);
        return ds;
    }

    /// <summary>PS3.3 C.17.2.3: every instance the tree references is listed in one of the two evidence sequences.</summary>
    private static void CheckEvidence(StructuredReportHeader header, ContainerItem root)
    {
        var listed = header.CurrentRequestedProcedureEvidence.Concat(header.PertinentOtherEvidence)
            .Select(r => r.SopInstanceUid).ToHashSet(StringComparer.Ordinal);
        var missing = root.Descendants()
            .Select(i => i switch { ImageItem image => image.Reference, CompositeItem composite => composite.Reference, _ => null })
            .OfType<SopReference>()
            .FirstOrDefault(r => !listed.Contains(r.SopInstanceUid));
        if (missing is not null)
        {
            throw new ArgumentException($"the content tree references {missing.SopInstanceUid}, which no evidence sequence lists", nameof(header));
        }
    }
}
