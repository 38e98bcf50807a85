using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Worker.Results;
using CxrPacsAgent.Worker.Tests.Cli;

namespace CxrPacsAgent.Worker.Tests.Results;

/// <summary>
/// The odd sources the results must survive, written once per run: pydicom cases (make_sources.py) and compressed
/// copies made by DCMTK (lossless JPEG, lossy baseline JPEG, JPEG-LS). Removed with its folder.
/// </summary>
public sealed class SourceFixture : IDisposable
{
    /// <summary>Written by make_sources.py.</summary>
    public static readonly string[] Written =
        ["plain", "latin1", "utf8", "japanese", "no-accession", "no-study-date", "mono1", "lossy-history", "burned-in-no"];

    /// <summary>Made by DCMTK: name, tool, option, source.</summary>
    public static readonly (string Name, string Tool, string Option, string Source)[] Compressed =
    [
        ("jpeg-lossless", "dcmcjpeg", "+e1", "plain"),
        ("jpeg-baseline", "dcmcjpeg", "+eb", "plain8"),
        ("jpeg-ls", "dcmcjpls", "+el", "mono1"),
    ];

    public static IEnumerable<string> All => Written.Concat(Compressed.Select(c => c.Name));

    public SourceFixture()
    {
        Folder = Directory.CreateTempSubdirectory("cxr-results-").FullName;
        var script = Path.Combine(RepositoryRoot, "tests", "CxrPacsAgent.Worker.Tests", "Results", "make_sources.py");
        Run("/usr/bin/python3", script, Path.Combine(CliRunner.SharedData, "adult-cxr-samples", "adult-cxr-03.png"), Folder);
        foreach (var (name, tool, option, source) in Compressed)
        {
            Run(tool, option, File(source), File(name));
        }
    }

    public string Folder { get; }

    public string File(string name) => Path.Combine(Folder, name + ".dcm");

    /// <summary>A result for a source with only the required parts: score, call, display image and lung map.</summary>
    public CxrResult Result(string name, double score = 0.83, bool? call = true)
    {
        var file = DicomFile.Open(File(name));
        var stages = new CxrPreprocessor().Run(Radiograph.FromDicom(file).Image);
        return new CxrResult
        {
            Source = file.Dataset,
            Model = Model,
            Score = score,
            Threshold = 0.5,
            Call = call,
            DisplayImage = stages.Standardized,
            LungMap = stages.LungMap.Crop(stages.Geometry.Content),
            QualityFlags = QualityFlag.FromSource(file.Dataset),
            CompletedAt = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(1)),
        };
    }

    /// <summary>The shipped package's identity (its model.json, copied beside the test binaries).</summary>
    public static ModelIdentity Model { get; } = ModelIdentity.FromManifest(
        Inference.Packages.ModelPackage.Load(Inference.Packages.DefaultModel.Folder).Manifest);

    /// <summary>The source tree (tests/Directory.Build.props records it), where make_sources.py and tools/ live.</summary>
    public static string RepositoryRoot { get; } = typeof(SourceFixture).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static void Run(string program, params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Start(program, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({code}): {stderr}{stdout}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SourceCollection : ICollectionFixture<SourceFixture>
{
    public const string Name = "result sources";
}
