using System.Diagnostics;
using System.Reflection;

namespace CxrPacsAgent.Inference.Tests.TestSupport;

/// <summary>Where the repository (training/, models/) and ../shared/data are, and how to run Debian's Python.</summary>
internal static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string SharedData { get; } = Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    public static string Kermany => Path.Combine(SharedData, "kermany-pneumonia-224");

    /// <summary>Runs /usr/bin/python3 (the pyenv python on PATH lacks Debian's torch) in training/.</summary>
    public static (int ExitCode, string Output) Python(TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            WorkingDirectory = Path.Combine(Root, "training"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"python3 {string.Join(' ', args)} ran over {timeout}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public static string TempFolder(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cxr-inf-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
