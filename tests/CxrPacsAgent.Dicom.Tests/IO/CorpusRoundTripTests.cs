using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;
using Xunit.Abstractions;

namespace CxrPacsAgent.Dicom.Tests.IO;

/// <summary>
/// Read → write → read by the reference tools: what we write must read back, in pydicom and DCMTK, as the values we
/// read from the original, without a warning either tool did not already give for the original.
/// </summary>
public class CorpusRoundTripTests(CorpusRoundTripFixture corpus, ITestOutputHelper output) : IClassFixture<CorpusRoundTripFixture>
{
    [Fact]
    public void Every_readable_corpus_file_can_be_written()
    {
        Assert.True(corpus.Files.Count > 400, $"only {corpus.Files.Count} files written");
        Assert.True(corpus.WriteFailures.Count == 0, string.Join("\n", corpus.WriteFailures));
    }

    [Fact]
    public void Pydicom_reads_back_the_values_we_read()
    {
        var problems = new List<string>();
        foreach (var written in corpus.Files)
        {
            var reading = corpus.PydicomReadings[Path.GetFullPath(written.Path)]!.AsObject();
            var label = $"{Path.GetFileName(written.Source)} as {written.Syntax.Name}";
            if (reading["error"] is { } error)
            {
                problems.Add($"{label}: pydicom cannot read it: {error}");
                continue;
            }
            var how = new DumpComparison
            {
                IgnoreDatasetGroupLengths = true,
                IgnoreWriterMeta = true,
                ImplicitVR = !written.Syntax.IsExplicitVR,
            };
            var differences = DumpComparer.Compare(reading, written.Original, how);
            if (differences.Count > 0)
            {
                problems.Add($"{label}: {string.Join("; ", differences)}");
            }
            var newWarnings = NewWarnings(reading, PydicomDump.CorpusDumps[written.Source]!.AsObject());
            if (newWarnings.Count > 0)
            {
                problems.Add($"{label}: pydicom warns {string.Join(" | ", newWarnings)}");
            }
            if (MetaIdentity(reading) is { } mismatch)
            {
                problems.Add($"{label}: {mismatch}");
            }
            if ((bool)reading["forced"]!)
            {
                problems.Add($"{label}: pydicom needed force=True");
            }
        }
        output.WriteLine($"{corpus.Files.Count - problems.Count} of {corpus.Files.Count} written files read back equal");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Dcmdump_reads_every_written_file_without_a_warning()
    {
        var problems = new List<string>();
        foreach (var written in corpus.Files)
        {
            var result = ExternalProcess.Run("dcmdump", ["-q", written.Path], timeout: TimeSpan.FromSeconds(30));
            var complaints = result.Stderr.Split('\n').Where(l => l.StartsWith("W:", StringComparison.Ordinal)
                || l.StartsWith("E:", StringComparison.Ordinal)).ToList();
            if (result.ExitCode != 0 || complaints.Count > 0)
            {
                problems.Add($"{Path.GetFileName(written.Source)} as {written.Syntax.Name}: exit {result.ExitCode} {string.Join(" | ", complaints)}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    // The meta group we write names the instance it describes (PS3.10 7.1), even where the original's disagreed with
    // its data set (as pydicom's rtdose.dcm does).
    private static string? MetaIdentity(JsonObject reading)
    {
        string? Value(string part, string tag) => reading[part]!.AsArray()
            .FirstOrDefault(e => (string)e!["tag"]! == tag)?["values"]?.AsArray().FirstOrDefault()?.GetValue<string>();
        var (metaClass, metaInstance) = (Value("meta", "00020002"), Value("meta", "00020003"));
        var (sopClass, sopInstance) = (Value("dataset", "00080016"), Value("dataset", "00080018"));
        return sopClass is not null && (metaClass != sopClass || metaInstance != sopInstance)
            ? $"meta names {metaClass} {metaInstance}, the data set is {sopClass} {sopInstance}"
            : null;
    }

    // Value warnings the original already drew (e.g. badVR.dcm's invalid IS) are the data's, not the writer's.
    private static List<string> NewWarnings(JsonObject written, JsonObject original)
    {
        var before = original["warnings"]?.AsArray().Select(w => (string)w!).ToHashSet() ?? [];
        return [.. written["warnings"]!.AsArray().Select(w => (string)w!).Where(w => !before.Contains(w))];
    }
}
