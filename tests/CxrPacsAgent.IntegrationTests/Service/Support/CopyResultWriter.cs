using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Worker.Pipeline;
using CxrPacsAgent.Worker.Pipeline.Stages;

namespace CxrPacsAgent.IntegrationTests.Service.Support;

/// <summary>
/// Stands in for the SR and SC writer until it is merged: one DICOM document per result, the source under a UID
/// derived from the source's (as the real writer derives its UIDs), so delivery can be tested end to end.
/// </summary>
internal sealed class CopyResultWriter : IResultWriter
{
    public ValueTask<IReadOnlyList<ResultDocument>> WriteAsync(WorkItem item, ResultFolders folders, CancellationToken cancellationToken)
    {
        var dataset = (item.Source ?? throw new InvalidOperationException("no source")).Dataset.Clone();
        var uid = DerivedUid(item.Job.SopInstanceUid);
        dataset.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, uid);
        var path = Path.Combine(folders.Dicom, uid + ".dcm");
        DicomFile.Create(dataset, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path, flushToDisk: true);
        return ValueTask.FromResult<IReadOnlyList<ResultDocument>>([new ResultDocument(path, dataset.GetString(DicomTags.SOPClassUID), uid)]);
    }

    public static string DerivedUid(string source) =>
        "2.25." + new BigInteger(SHA256.HashData(Encoding.ASCII.GetBytes("result:" + source)).AsSpan(0, 15), isUnsigned: true);
}
