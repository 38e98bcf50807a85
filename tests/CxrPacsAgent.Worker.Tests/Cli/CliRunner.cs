using System.Diagnostics;

namespace CxrPacsAgent.Worker.Tests.Cli;

/// <summary>Runs the real <c>cxr-agent</c> executable (as a user would) and captures its output.</summary>
internal static class CliRunner
{
    private static readonly string AgentDll = Path.Combine(AppContext.BaseDirectory, "cxr-agent.dll");

    public static string SharedData { get; } = FindSharedData();

    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) =>
        Start("dotnet", [AgentDll, .. args]);

    /// <summary>Runs an independent judge (pydicom via Debian's python, dcmdump, …).</summary>
    public static (int ExitCode, string Stdout, string Stderr) Start(string program, params string[] args) =>
        StartWithInput(null, program, args);

    /// <summary>Runs <c>cxr-agent</c> with <paramref name="input"/> as its standard input.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunWithInput(string input, params string[] args) =>
        StartWithInput(input, "dotnet", [AgentDll, .. args]);

    private static (int ExitCode, string Stdout, string Stderr) StartWithInput(string? input, string program, string[] args)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in 2 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FindSharedData()
    {
        var root = typeof(CliRunner).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        return Path.GetFullPath(Path.Combine(root, "..", "shared", "data"));
    }
}
