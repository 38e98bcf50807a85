using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;
using Xunit.Abstractions;

namespace CxrPacsAgent.Dicom.Tests.IO;

/// <summary>
/// Every file of dicom-samples and of pydicom's test corpus, read by <see cref="DicomFile.Open"/> and compared with
/// pydicom's reading of it, element by element.
/// </summary>
public class DicomCorpusTests(ITestOutputHelper output)
{
    private enum Outcome { Match, Mismatch, FormatError, OtherException }

    /// <summary>
    /// Files whose reading differs from pydicom's, on purpose. Keyed by path below pydicom's test_files (or
    /// dicom-samples); a file that starts to match, or differs in another way, fails the test, so the list stays true.
    /// </summary>
    private static readonly Dictionary<string, (Outcome Outcome, string Reason)> AllowList = new(StringComparer.Ordinal)
    {
        // Not DICOM at all. dcmread raises InvalidDicomError; with force=True pydicom invents one element whose length
        // runs past the end of the file and keeps the short value, where we reject the length.
        ["README.txt"] = (Outcome.FormatError, "text file"),
        ["dicomdirtests/README.txt"] = (Outcome.FormatError, "text file"),
        ["dicomdirtests/TINY_ALPHA/README"] = (Outcome.FormatError, "text file"),
        ["rtplan.dump"] = (Outcome.FormatError, "dcmdump text output"),
        ["rtstruct.dump"] = (Outcome.FormatError, "dcmdump text output"),
        ["test1.json"] = (Outcome.FormatError, "DICOM JSON, not Part 10"),
        ["test_PN.json"] = (Outcome.FormatError, "DICOM JSON, not Part 10"),
        ["zipMR.gz"] = (Outcome.FormatError, "gzip archive"),
        // A data set that starts one byte into an element (a stray 0x20 first): pydicom, forced, reads it as one
        // element (0820,0500) cut short; we reject the length, naming that element at offset 0.
        ["no_meta.dcm"] = (Outcome.FormatError, "misaligned first element"),
        // Cut short on purpose: pydicom keeps the last value short (Pixel Data, resp. an item of (300A,00B0)); we
        // reject a value whose length runs past the end rather than hand on part of it.
        ["MR_truncated.dcm"] = (Outcome.FormatError, "truncated pixel data"),
        ["rtplan_truncated.dcm"] = (Outcome.FormatError, "truncated sequence"),
        // Offset elements were removed without fixing the lengths around them: the last directory record claims 24
        // bytes past the end of the file. pydicom (and dcmdump) read items up to end of file; we reject the length.
        ["dicomdirtests/DICOMDIR-nooffset"] = (Outcome.FormatError, "stale item lengths"),
    };

    [Fact]
    public void Every_corpus_file_reads_as_pydicom_reads_it()
    {
        var dumps = PydicomDump.CorpusDumps;
        Assert.True(dumps.Count >= 19 + 160, $"only {dumps.Count} files dumped");
        var unexpected = new List<string>();
        var matches = 0;
        foreach (var (path, node) in dumps)
        {
            var name = ShortName(path);
            var reference = node!.AsObject();
            var (outcome, detail) = Read(path, reference);
            matches += outcome == Outcome.Match ? 1 : 0;
            var allowed = AllowList.TryGetValue(name, out var entry) ? entry.Outcome : Outcome.Match;
            if (outcome != allowed)
            {
                unexpected.Add($"{name}: {outcome} (allowed: {allowed}) {detail}");
            }
        }
        var stale = AllowList.Keys.Where(k => !dumps.Any(d => ShortName(d.Key) == k)).ToList();
        output.WriteLine($"{matches} of {dumps.Count} files match pydicom exactly; {AllowList.Count} allow-listed");
        unexpected.ForEach(output.WriteLine);
        Assert.True(unexpected.Count == 0 && stale.Count == 0,
            $"{unexpected.Count} unexpected outcomes, stale allow-list entries [{string.Join(", ", stale)}]:\n" + string.Join("\n", unexpected));
    }

    private static (Outcome, string) Read(string path, JsonObject reference)
    {
        DicomFile file;
        try
        {
            file = DicomFile.Open(path);
        }
        catch (DicomFormatException e)
        {
            // A typed rejection is the right answer for junk; for a file pydicom reads it must be allow-listed.
            return (reference.ContainsKey("error") ? Outcome.Match : Outcome.FormatError, e.Message);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            // Never allowed: input problems must surface as DicomFormatException.
            return (Outcome.OtherException, e.ToString());
        }
        if (reference["error"] is { } error)
        {
            return (Outcome.Mismatch, $"we read it, pydicom cannot: {error}");
        }
        var differences = DumpComparer.Compare(reference, CanonicalDump.Of(file));
        return differences.Count == 0 ? (Outcome.Match, "") : (Outcome.Mismatch, string.Join("; ", differences));
    }

    private static string ShortName(string path)
    {
        foreach (var root in new[] { "/pydicom/data/test_files/", "/dicom-samples/" })
        {
            var at = path.IndexOf(root, StringComparison.Ordinal);
            if (at >= 0)
            {
                return path[(at + root.Length)..];
            }
        }
        return path;
    }
}
