using CxrPacsAgent.Dicom.Imaging;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.TestSupport;

/// <summary>One compressed test input: how DCMTK made it from a native source, and which DCMTK tool decompresses it.</summary>
public sealed record CodecCase(string Name, string Source, string Compressor, string[] Options, string Decompressor)
{
    public override string ToString() => Name;
}

/// <summary>
/// Builds the pixel test objects once per test run in a temp folder: pydicom writes the native variants and the
/// compressor inputs (two 2500×2000 16-bit chest images and small ones), DCMTK compresses each case and decompresses it
/// again, so every decoder is compared with DCMTK's own decompressor.
/// </summary>
public sealed class PixelSamplesFixture : IDisposable
{
    private readonly TempDirectory folder = new("cxr-pixels");

    public PixelSamplesFixture()
    {
        var pngs = Directory.GetFiles(RepositoryPaths.AdultCxrSamples, "*.png").Order(StringComparer.Ordinal).Take(6);
        ExternalProcess.Python(RepositoryPaths.TestSource("Imaging/make_pixel_samples.py"), [Root, .. pngs], timeout: TimeSpan.FromMinutes(2));
        Directory.CreateDirectory(Path.Combine(Root, "compressed"));
        Directory.CreateDirectory(Path.Combine(Root, "reference"));
        foreach (var c in CodecCases.All)
        {
            Run(c.Compressor, [.. c.Options, SourcePath(c), CompressedPath(c)]);
            Run(c.Decompressor, [CompressedPath(c), ReferencePath(c)]);
        }
        var natives = NativeFiles.Select(NativePath).ToArray();
        ExternalProcess.Python(RepositoryPaths.TestSource("Imaging/pydicom_pixels.py"), natives);
    }

    public string Root => folder.Path;

    /// <summary>The native variants written by make_pixel_samples.py.</summary>
    public static IReadOnlyList<string> NativeFiles { get; } =
    [
        "u8", "s8", "u16", "s16", "u12", "s12", "u10_mono1", "rgb_planar0", "rgb_planar1", "rgb16_planar1",
        "frames3_s16", "frames4_u12", "frames2_rgb_planar1",
    ];

    public string NativePath(string name) => Path.Combine(Root, "native", name + ".dcm");

    public string SourcePath(CodecCase c) => Path.Combine(Root, "source", c.Source + ".dcm");

    public string CompressedPath(CodecCase c) => Path.Combine(Root, "compressed", c.Name + ".dcm");

    public string ReferencePath(CodecCase c) => Path.Combine(Root, "reference", c.Name + ".dcm");

    /// <summary>pydicom's pixel_array of a native file, all frames, as int32 in (frame, row, column, sample) order.</summary>
    public static int[] PydicomPixels(string dicomPath)
    {
        var bytes = File.ReadAllBytes(dicomPath + ".i32");
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(bytes).ToArray();
    }

    /// <summary>All frames of a file's samples, decoded by this toolkit.</summary>
    public static int[] OurPixels(string path)
    {
        var file = DicomFile.Open(path);
        var d = PixelDescription.FromDataset(file.Dataset);
        var all = new List<int>(d.SampleCount * d.NumberOfFrames);
        for (var f = 0; f < d.NumberOfFrames; f++)
        {
            all.AddRange(DicomPixelData.GetFrameSamples(file.Dataset, file.TransferSyntax, f));
        }
        return [.. all];
    }

    /// <summary>Sample for sample, naming the first that differs (a full diff of millions of samples helps nobody).</summary>
    public static void AssertEqualSamples(int[] expected, int[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                Assert.Fail($"{what}: sample {i} is {actual[i]}, expected {expected[i]}");
            }
        }
    }

    public static void Run(string tool, string[] arguments)
    {
        var result = ExternalProcess.Run(tool, arguments, timeout: TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Stderr}");
    }

    public void Dispose() => folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class PixelSamplesCollection : ICollectionFixture<PixelSamplesFixture>
{
    public const string Name = "Pixel samples";
}
