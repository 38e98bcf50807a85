using System.Buffers.Binary;
using System.Diagnostics;

namespace CxrPacsAgent.Imaging.Tests.TestSupport;

/// <summary>The pictures make_pictures.py writes (Pillow and a hand-rolled zlib encoder as independent judges), once per run.</summary>
public sealed class PictureFixture : IDisposable
{
    public PictureFixture()
    {
        Folder = Directory.CreateTempSubdirectory("cxr-pictures-").FullName;
        var script = Path.Combine(TestData.RepositoryRoot, "tests", "CxrPacsAgent.Imaging.Tests", "TestSupport", "make_pictures.py");
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(Folder);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"make_pictures.py failed ({process.ExitCode}): {error}");
        }
    }

    public string Folder { get; }

    public string File(string name) => Path.Combine(Folder, name);

    /// <summary>The upright image a viewer shows, on the 0–65535 scale.</summary>
    public (int Width, int Height, ushort[] Samples) Expected(string name)
    {
        var bytes = System.IO.File.ReadAllBytes(Path.Combine(Folder, name + ".expected"));
        var w = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        var h = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        var samples = new ushort[w * h];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8 + (2 * i)));
        }
        return (w, h, samples);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class PictureCollection : ICollectionFixture<PictureFixture>
{
    public const string Name = "picture fixture";
}
