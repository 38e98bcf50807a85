using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.IO;

/// <summary>One corpus file written in one transfer syntax, with our reading of the original to compare against.</summary>
public sealed record WrittenFile(string Source, DicomTransferSyntax Syntax, string Path, JsonObject Original);

/// <summary>
/// Every corpus file we read, written once in each syntax it may take (native data: Implicit VR LE, Explicit VR LE and
/// Deflated Explicit VR LE; encapsulated pixel data only in its own syntax), and pydicom's reading of all of the
/// outputs from one python process. Shared by the pydicom and dcmdump round-trip tests.
/// </summary>
public sealed class CorpusRoundTripFixture : IDisposable
{
    private static readonly DicomTransferSyntax[] NativeSyntaxes =
    [
        DicomTransferSyntax.ImplicitVRLittleEndian,
        DicomTransferSyntax.ExplicitVRLittleEndian,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian,
    ];

    private readonly TempDirectory folder = new("cxr-roundtrip");
    private readonly Lazy<JsonObject> pydicom;

    public CorpusRoundTripFixture()
    {
        var files = new List<WrittenFile>();
        var failures = new List<string>();
        var index = 0;
        foreach (var source in PydicomDump.CorpusDumps.Select(d => d.Key))
        {
            DicomFile file;
            try
            {
                file = DicomFile.Open(source);
            }
            catch (DicomFormatException)
            {
                continue; // DicomCorpusTests accounts for every file we reject.
            }
            if (file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPClassUID) == DicomUids.MediaStorageDirectoryStorage)
            {
                // A DICOMDIR's records point at byte offsets of its own file, which any other layout makes stale:
                // rewriting one is a DICOMDIR writer's job, not the data set writer's.
                continue;
            }
            var original = CanonicalDump.Of(file, asWritten: true);
            var syntaxes = file.TransferSyntax.IsEncapsulated ? [file.TransferSyntax] : NativeSyntaxes;
            foreach (var syntax in syntaxes)
            {
                var path = folder.File($"{index++:D4}-{System.IO.Path.GetFileName(source)}.dcm");
                try
                {
                    file.Save(path, syntax);
                    files.Add(new WrittenFile(source, syntax, path, original));
                }
                catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
                {
                    failures.Add($"{source} as {syntax.Name}: {e.Message}");
                }
            }
        }
        Files = files;
        WriteFailures = failures;
        pydicom = new(() => PydicomDump.Run(files.Select(f => f.Path)));
    }

    public IReadOnlyList<WrittenFile> Files { get; }

    /// <summary>Files that could be read but not written in some syntax.</summary>
    public IReadOnlyList<string> WriteFailures { get; }

    /// <summary>pydicom's reading of every written file, keyed by absolute path.</summary>
    public JsonObject PydicomReadings => pydicom.Value;

    public void Dispose() => folder.Dispose();
}
