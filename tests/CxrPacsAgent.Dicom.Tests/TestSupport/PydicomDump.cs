using System.Text.Json.Nodes;

namespace CxrPacsAgent.Dicom.Tests.TestSupport;

/// <summary>
/// pydicom's reading of files, from IO/pydicom_dump.py in one python process for all of them (one per file would cost
/// seconds per hundred files).
/// </summary>
internal static class PydicomDump
{
    private static readonly Lazy<JsonObject> Corpus = new(() => Run(RepositoryPaths.SampleFiles(), includePydicomCorpus: true));

    /// <summary>Every regular file of pydicom's test corpus and of dicom-samples, keyed by absolute path.</summary>
    public static JsonObject CorpusDumps => Corpus.Value;

    /// <summary>Dumps <paramref name="paths"/>; the result is keyed by absolute path.</summary>
    public static JsonObject Run(IEnumerable<string> paths, bool includePydicomCorpus = false)
    {
        var script = RepositoryPaths.TestSource("IO/pydicom_dump.py");
        var result = ExternalProcess.Python(script, includePydicomCorpus ? ["--pydicom-corpus"] : [],
            stdin: string.Join('\n', paths.Select(Path.GetFullPath)), timeout: TimeSpan.FromSeconds(120));
        return JsonNode.Parse(result.Stdout)!.AsObject();
    }
}
