namespace CxrPacsAgent.Worker.Tests.TestSupport;

/// <summary>A scratch folder removed after the test; shared samples are copied here, never written where they live.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string name = "t")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cxr-worker-{name}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process still closing a file; the temp folder is cleaned eventually.
        }
    }
}
