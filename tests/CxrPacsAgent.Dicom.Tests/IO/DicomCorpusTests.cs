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
    private enum Outcome { Match, Mismatch, FormatError }

    /// <summary>
    /// Files whose reading differs from pydicom's, on purpose. Keyed by path below pydicom's test_files (or
    /// dicom-samples); a file that starts to match, or differs in another way, fails the test, so the list stays true.
    /// </summary>
    private static readonly Dictionary<string, (Outcome Outcome, string Reason)> AllowList = new(StringComparer.Ordinal)
    {
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
