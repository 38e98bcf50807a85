using System.Runtime.CompilerServices;

namespace CxrPacsAgent.Dicom.Tests.TestSupport;

/// <summary>
/// Where the repository and the shared data lie, found from the test binary: the folder holding CxrPacsAgent.sln is
/// the repository root, and the data is ../shared/data beside it, as every checkout (and CI's clone) lays it out.
/// </summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() => FindRoot());

    public static string Root => RootPath.Value;

    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    public static string DicomSamples => Path.Combine(SharedData, "dicom-samples");

    public static string AdultCxrSamples => Path.Combine(SharedData, "adult-cxr-samples");

    /// <summary>pydicom's test files, as Debian's python3-pydicom installs them (CI installs it).</summary>
    public const string PydicomTestFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    /// <summary>A file of this test project's source tree, e.g. "IO/pydicom_dump.py".</summary>
    public static string TestSource(string relativePath) =>
        Path.Combine(Root, "tests", "CxrPacsAgent.Dicom.Tests", relativePath);

    /// <summary>The 19 sample files of dicom-samples (see its INVENTORY.txt), in a stable order.</summary>
    public static IReadOnlyList<string> SampleFiles()
    {
        var files = Directory.GetFiles(DicomSamples, "*.dcm", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    // The test binary may be built outside the tree (--artifacts-path), so this source file's own compile-time path
    // and the working directory are tried after the binary's folder.
    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        string?[] starts = [AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile), Environment.CurrentDirectory];
        foreach (var start in starts.OfType<string>().Where(s => s.Length > 0))
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CxrPacsAgent.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException($"no CxrPacsAgent.sln above any of {string.Join(", ", starts)}");
    }
}
