using System.Diagnostics;

namespace CxrPacsAgent.Imaging.Tests.TestSupport;

/// <summary>
/// Wraps a few adult-cxr-samples as DICOM in a temporary folder, once per test run: CR 8 bit and DX 16 bit, MONOCHROME1
/// and 2, a 12-bit windowed DX (pydicom, TestSupport/make_dicom.py), and compressed copies made by DCMTK.
/// </summary>
public sealed class DicomFixture : IDisposable
{
    private readonly Dictionary<string, string> problems = [];

    public static readonly string[] Samples = ["adult-cxr-01", "adult-cxr-06", "adult-cxr-10"];

    /// <summary>Uncompressed encodings written by make_dicom.py.</summary>
    public static readonly string[] Native = ["cr8-mono2", "cr8-mono1", "dx16-mono2", "dx16-mono1", "dx12-window"];

    /// <summary>Compressed copies: name → (DCMTK tool and options, source encoding).</summary>
    public static readonly (string Name, string Tool, string Option, string Source)[] Compressed =
    [
        ("dx16-jpeg-lossless-sv1", "dcmcjpeg", "+e1", "dx16-mono2"),
        ("dx16-jpeg-ls", "dcmcjpls", "+el", "dx16-mono1"),
        ("dx16-rle", "dcmcrle", "", "dx16-mono1"),
        ("cr8-jpeg-lossless-sv1", "dcmcjpeg", "+e1", "cr8-mono2"),
    ];

    public DicomFixture()
    {
        Folder = Directory.CreateTempSubdirectory("cxr-imaging-").FullName;
        // From the source tree: the script imports tools/pydicom_fixtures.py beside it.
        var script = Path.Combine(TestData.RepositoryRoot, "tests", "CxrPacsAgent.Imaging.Tests", "TestSupport", "make_dicom.py");
        var views = System.IO.File.ReadAllLines(TestData.Path("adult-cxr-samples", "index.csv")).Skip(1)
            .Select(l => l.Split(',')).ToDictionary(p => Path.GetFileNameWithoutExtension(p[0]), p => p[1]);
        foreach (var sample in Samples)
        {
            var folder = Directory.CreateDirectory(Path.Combine(Folder, sample)).FullName;
            Run("/usr/bin/python3", script, TestData.Path("adult-cxr-samples", sample + ".png"), folder, views[sample]);
            foreach (var (name, tool, option, source) in Compressed)
            {
                // A missing or failing DCMTK leaves the compressed file absent and says why; the test that needs it fails.
                string[] args = [.. option.Length > 0 ? [option] : Array.Empty<string>(), Path.Combine(folder, source + ".dcm"), Path.Combine(folder, name + ".dcm")];
                if (TryRun(tool, args) is { } problem)
                {
                    problems[File(sample, name)] = problem;
                }
            }
        }
    }

    public string Folder { get; }

    public string File(string sample, string encoding) => Path.Combine(Folder, sample, encoding + ".dcm");

    /// <summary>Why a file the fixture should have made is missing ("" when nothing went wrong).</summary>
    public string Problem(string sample, string encoding) => problems.GetValueOrDefault(File(sample, encoding), "");

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static void Run(string program, params string[] args)
    {
        var (code, error) = Start(program, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({code}): {error}");
        }
    }

    /// <summary>Runs a DCMTK tool; returns what went wrong, or null.</summary>
    private static string? TryRun(string program, params string[] args)
    {
        try
        {
            var (code, error) = Start(program, args);
            return code == 0 ? null : $"{program} failed ({code}): {error}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{program} cannot run ({e.Message}); .ci/run installs DCMTK (apt-get install -y dcmtk)";
        }
    }

    private static (int Code, string Error) Start(string program, string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.Result);
    }
}

[CollectionDefinition(Name)]
public sealed class DicomCollection : ICollectionFixture<DicomFixture>
{
    public const string Name = "dicom fixture";
}
