using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
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
}
