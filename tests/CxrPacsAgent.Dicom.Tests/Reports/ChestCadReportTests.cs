using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Reports;
using CxrPacsAgent.Dicom.Reports.Templates;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Reports;

/// <summary>TID 4100: valid Chest CAD SR for a finding, no finding and a failed detection; DCMTK reads it under the IOD's rules.</summary>
public sealed class ChestCadReportTests
{
    [Theory]
    [InlineData(true, "111242")]
    [InlineData(false, "111241")]
    [InlineData(null, "111245")]
    public void Chest_cad_report_is_valid_and_summarises_the_detection(bool? detected, string summary)
    {
        var source = Sources.Dx();
        var content = new ChestCadReport
        {
            Image = Documents.SourceImage(source),
            Finding = Documents.Nodule,
            Detected = detected,
            Certainty = detected == true ? 0.875 : null,
            Algorithm = new AlgorithmIdentification("detector", "2.0", []),
        };
        var header = Documents.Header(source, DicomUids.ChestCADSRStorage) with { CodingSchemes = [] };
        using var temp = new TempDirectory("cad");
        var path = Documents.Save(StructuredReport.Build(source, header, content.ToContent()), temp.File("cad.dcm"));
        Judges.AssertValid(path, Judges.ContributingDeviceUid);
        Judges.AssertSchemaValid(path);
        var dump = ExternalProcess.Run("dsrdump", [path]);
        Assert.True(dump.ExitCode == 0 && !dump.Stderr.Contains("E: ", StringComparison.Ordinal), dump.Stderr);

        var tree = ContentTreeReader.Read(Dicom.IO.DicomFile.Open(path).Dataset);
        Assert.Equal("4100", tree.TemplateIdentifier);
        Assert.Equal(summary, tree.Children.OfType<CodeItem>().Single(c => c.ConceptName == Codes.CadProcessingAndFindingsSummary).Code.Value);
        Assert.Equal(detected == true ? 87.5 : null, tree.Descendants().OfType<NumItem>().SingleOrDefault()?.Value);
        Assert.Equal(detected is null ? Codes.Failed : Codes.Succeeded,
            tree.Children.OfType<CodeItem>().Single(c => c.ConceptName == Codes.SummaryOfDetections).Code);
    }

    [Fact]
    public void Certainty_outside_the_unit_interval_is_refused()
    {
        var content = new ChestCadReport
        {
            Image = Documents.SourceImage(Sources.Dx()),
            Finding = Documents.Nodule,
            Detected = true,
            Certainty = 1.5,
            Algorithm = new AlgorithmIdentification("detector", "2.0", []),
        };
        Assert.Throws<ArgumentOutOfRangeException>(() => content.ToContent());
    }
}
