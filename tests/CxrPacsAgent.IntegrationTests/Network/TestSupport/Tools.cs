namespace CxrPacsAgent.IntegrationTests.Network.TestSupport;

/// <summary>Finds the peer programs .ci/run installs; a missing one fails the test that needs it, with the fix.</summary>
internal static class Tools
{
    private static readonly string[] SearchPath =
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"]).ToArray();

    public static string Find(string program)
    {
        if (Path.IsPathRooted(program))
        {
            return program;
        }
        foreach (var folder in SearchPath)
        {
            var candidate = Path.Combine(folder, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException(
            $"'{program}' is not installed; run .ci/run or apt-get install -y dcmtk orthanc (see /work/shared/PEERS.md)");
    }

    /// <summary>Debian's Python, which has pydicom (the pyenv one first on PATH does not).</summary>
    public const string Python = "/usr/bin/python3";
}
