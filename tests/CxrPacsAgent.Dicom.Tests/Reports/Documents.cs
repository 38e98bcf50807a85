using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Reports;
using CxrPacsAgent.Dicom.Reports.Templates;

namespace CxrPacsAgent.Dicom.Tests.Reports;

/// <summary>Documents the tests build: a TID 1500 report and a Chest CAD report about <see cref="Sources.Dx"/>.</summary>
internal static class Documents
{
    public static readonly DateTimeOffset When = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.FromHours(1));
    public static readonly CodedConcept Nodule = new("27925004", "SCT", "Nodule");
    public static readonly CodedConcept PrivateNote = new("N1", "99TEST", "Test note");
    public static readonly Equipment Agent = new("Test Maker", "test-model", "1.0", "SN-1", "2.25.1");

    public static SopReference SourceImage(DicomDataset source) => SopReference.Of(source);

    public static MeasurementReport Report(DicomDataset source) => new()
    {
        Observer = new DeviceObserver("2.25.1", "tester", "Test Maker", "test-model"),
        ProceduresReported = [new CodedConcept("399208008", "SCT", "Plain chest X-ray")],
        Groups =
        [
            new MeasurementGroup
            {
                TrackingIdentifier = "finding 1",
                TrackingUid = "2.25.2",
                Finding = Nodule,
                Algorithm = new AlgorithmIdentification("detector", "2.0", ["threshold 0.5"]),
                SourceImages = [SourceImage(source)],
                Measurements = [new NumItem(Codes.CertaintyOfFinding, 0.8125, Codes.NoUnits)],
                Evaluations = [new CodeItem(Nodule, Codes.Present)],
            },
        ],
        QualitativeEvaluations = [new TextItem(PrivateNote, "research use only")],
    };

    public static StructuredReportHeader Header(DicomDataset source, string sopClass = DicomUids.Comprehensive3DSRStorage) => new()
    {
        SopClassUid = sopClass,
        SopInstanceUid = "2.25.3",
        SeriesInstanceUid = "2.25.4",
        SeriesNumber = 9901,
        SeriesDescription = "AI result (test)",
        ContentDateTime = When,
        Equipment = Agent,
        ContributingEquipment = [new ContributingEquipment(Codes.ProcessingEquipment, Agent with { ModelName = "detector", SoftwareVersions = "2.0" })],
        CurrentRequestedProcedureEvidence = [SourceImage(source)],
        CodingSchemes = [new CodingScheme("99TEST", "Test codes", "Test Maker")],
    };

    public static DicomDataset Sr(DicomDataset source) =>
        StructuredReport.Build(source, Header(source), Report(source).ToContent());

    public static string Save(DicomDataset dataset, string path)
    {
        DicomFile.Create(dataset, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        // CXR_TEST_DUMP keeps a copy for people to look at (as the Imaging tests do with their pictures).
        if (Environment.GetEnvironmentVariable("CXR_TEST_DUMP") is { Length: > 0 } dump)
        {
            Directory.CreateDirectory(dump);
            File.Copy(path, Path.Combine(dump, Path.GetFileName(path)), overwrite: true);
        }
        return path;
    }
}
