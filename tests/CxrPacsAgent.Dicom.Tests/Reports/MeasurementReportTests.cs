using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Reports;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Reports;

/// <summary>TID 1500 documents as dciodvfy, DCMTK's SR schema and our reader see them.</summary>
public sealed class MeasurementReportTests
{
    [Fact]
    public void Tid1500_document_is_valid_for_dciodvfy_and_dcmtk_schema()
    {
        using var temp = new TempDirectory("sr");
        var path = Documents.Save(Documents.Sr(Sources.Dx()), temp.File("sr.dcm"));
        Judges.AssertValid(path, Judges.PrivateScheme("99TEST"), Judges.ContributingDeviceUid);
        Judges.AssertSchemaValid(path);
    }

    [Fact]
    public void Header_says_unverified_new_series_and_lists_the_evidence()
    {
        var sr = Documents.Sr(Sources.Dx());
        Assert.Equal(("SR", "UNVERIFIED", "COMPLETE", "9901"), (sr.GetString(DicomTags.Modality), sr.GetString(DicomTags.VerificationFlag),
            sr.GetString(DicomTags.CompletionFlag), sr.GetString(DicomTags.SeriesNumber)));
        Assert.NotEqual(Sources.SeriesUid, sr.GetString(DicomTags.SeriesInstanceUID));
        var evidence = Assert.Single(EvidenceReferences.Read(sr, DicomTags.CurrentRequestedProcedureEvidenceSequence));
        Assert.Equal((Sources.StudyUid, Sources.SeriesUid, Sources.InstanceUid), (evidence.StudyInstanceUid, evidence.SeriesInstanceUid, evidence.SopInstanceUid));
        Assert.Equal("99TEST", sr.GetSequence(DicomTags.CodingSchemeIdentificationSequence)!.Items[0].GetString(DicomTags.CodingSchemeDesignator));
        Assert.Equal(("20260304", "050607.890000"), (sr.GetString(DicomTags.ContentDate), sr.GetString(DicomTags.ContentTime)));
    }

    [Fact]
    public void Times_follow_the_sources_time_zone_when_it_states_one()
    {
        var source = Sources.Dx();
        source.AddOrUpdate(DicomTags.TimezoneOffsetFromUTC, "-0500");
        var sr = Documents.Sr(source);
        // 05:06 at +01:00 is 23:06 the day before at -05:00.
        Assert.Equal(("20260303", "230607.890000", "-0500"), (sr.GetString(DicomTags.ContentDate), sr.GetString(DicomTags.ContentTime),
            sr.GetString(DicomTags.TimezoneOffsetFromUTC)));
    }

    [Fact]
    public void A_reference_no_evidence_sequence_lists_is_refused()
    {
        var source = Sources.Dx();
        var header = Documents.Header(source) with { CurrentRequestedProcedureEvidence = [] };
        var e = Assert.Throws<ArgumentException>(() => StructuredReport.Build(source, header, Documents.Report(source).ToContent()));
        Assert.Contains(Sources.InstanceUid, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tid1500_needs_a_procedure_and_content()
    {
        var source = Sources.Dx();
        Assert.Throws<ArgumentException>(() => (Documents.Report(source) with { ProceduresReported = [] }).ToContent());
        Assert.Throws<ArgumentException>(() => (Documents.Report(source) with { Groups = [], QualitativeEvaluations = [] }).ToContent());
    }
}
