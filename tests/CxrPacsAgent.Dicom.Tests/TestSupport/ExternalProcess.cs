using System.Diagnostics;

namespace CxrPacsAgent.Dicom.Tests.TestSupport;

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs a reference tool (python, dcmdump) to completion with a time limit, capturing both output streams.</summary>
internal static class ExternalProcess
{
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string? stdin = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {fileName}");
        // Both streams are drained concurrently, so a chatty tool cannot block on a full pipe.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }
        process.StandardInput.Close();
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} ran past {limit.TotalSeconds} s");
        }
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs a script with the system python, which has python3-pydicom 2.3.1 (not a pyenv one on PATH).</summary>
    public static ProcessResult Python(string script, IEnumerable<string> arguments, string? stdin = null, TimeSpan? timeout = null)
    {
        const string Interpreter = "/usr/bin/python3";
        Assert.True(File.Exists(Interpreter), "these tests need /usr/bin/python3 with python3-pydicom 2.3.1");
        var result = Run(Interpreter, [script, .. arguments], stdin, timeout);
        Assert.True(result.ExitCode == 0, $"{Path.GetFileName(script)} failed ({result.ExitCode}): {result.Stderr}");
        return result;
    }
}
