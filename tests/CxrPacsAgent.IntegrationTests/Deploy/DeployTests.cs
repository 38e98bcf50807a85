using CxrPacsAgent.IntegrationTests.Network.TestSupport;

namespace CxrPacsAgent.IntegrationTests.Deploy;

/// <summary>deploy/: the systemd unit passes systemd's own check, and the install and uninstall scripts lay out and remove what they promise.</summary>
public sealed class DeployTests
{
    private static string Deploy => Path.Combine(RepositoryRoot, "deploy", "linux");

    private static string RepositoryRoot { get; } = typeof(DeployTests).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    [Fact]
    public async Task The_systemd_unit_passes_systemd_analyze_verify_without_a_warning()
    {
        using var temp = new TempFolder("unit");
        var unit = await File.ReadAllTextAsync(Path.Combine(Deploy, "cxr-agent.service"));
        Assert.Contains("Type=notify", unit, StringComparison.Ordinal);
        Assert.Contains("User=cxr-agent", unit, StringComparison.Ordinal);
        Assert.Contains("ProtectSystem=strict", unit, StringComparison.Ordinal);
        // verify checks that ExecStart's program exists: point it at the agent as built here.
        var local = unit.Replace("/opt/cxr-agent/cxr-agent", Path.Combine(AppContext.BaseDirectory, "cxr-agent"), StringComparison.Ordinal);
        var path = Path.Combine(temp.Path, "cxr-agent.service");
        await File.WriteAllTextAsync(path, local);
        var (code, output) = await PeerProcess.RunAsync("systemd-analyze", ["verify", path]);
        Assert.True(code == 0, output);
        // systemd only warns about unknown keys and bad values, with exit code 0: any output is a defect.
        Assert.Equal("", output.Trim());

        await File.WriteAllTextAsync(path, local.Replace("ProtectSystem=strict", "ProtectSystem=strictly", StringComparison.Ordinal));
        (_, output) = await PeerProcess.RunAsync("systemd-analyze", ["verify", path]);
        Assert.Contains("strictly", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_lays_out_program_settings_data_and_unit_keeps_settings_on_upgrade_and_uninstall_removes_them_only_when_asked()
    {
        using var temp = new TempFolder("install");
        var root = temp.Sub("root");
        var published = temp.Sub("published");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "cxr-agent"), Path.Combine(published, "cxr-agent"));
        Assert.True(OperatingSystem.IsLinux(), "deploy/linux is for Linux");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(Path.Combine(published, "cxr-agent"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var (code, output) = await PeerProcess.RunAsync("bash", [Path.Combine(Deploy, "install.sh"), "--from", published, "--root", root]);
        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(root, "opt", "cxr-agent", "cxr-agent")));
        Assert.True(File.Exists(Path.Combine(root, "etc", "systemd", "system", "cxr-agent.service")));
        Assert.True(Directory.Exists(Path.Combine(root, "var", "lib", "cxr-agent")));
        var settings = Path.Combine(root, "etc", "cxr-agent", "appsettings.json");
        Assert.Contains("Destinations", await File.ReadAllTextAsync(settings), StringComparison.Ordinal);

        // An upgrade keeps the site's settings and the previous program.
        await File.WriteAllTextAsync(settings, """{ "Dicom": { "AeTitle": "SITE" } }""");
        (code, output) = await PeerProcess.RunAsync("bash", [Path.Combine(Deploy, "install.sh"), "--from", published, "--root", root]);
        Assert.True(code == 0, output);
        Assert.Contains("SITE", await File.ReadAllTextAsync(settings), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(root, "opt", "cxr-agent.previous", "cxr-agent")));

        (code, output) = await PeerProcess.RunAsync("bash", [Path.Combine(Deploy, "uninstall.sh"), "--root", root]);
        Assert.True(code == 0, output);
        Assert.False(Directory.Exists(Path.Combine(root, "opt", "cxr-agent")));
        Assert.False(File.Exists(Path.Combine(root, "etc", "systemd", "system", "cxr-agent.service")));
        Assert.True(File.Exists(settings));
        (code, output) = await PeerProcess.RunAsync("bash", [Path.Combine(Deploy, "uninstall.sh"), "--purge", "--root", root]);
        Assert.True(code == 0, output);
        Assert.False(Directory.Exists(Path.Combine(root, "etc", "cxr-agent")));
        Assert.False(Directory.Exists(Path.Combine(root, "var", "lib", "cxr-agent")));

        // Without a published agent the script says what it needs.
        (code, output) = await PeerProcess.RunAsync("bash", [Path.Combine(Deploy, "install.sh"), "--from", temp.Sub("empty"), "--root", root]);
        Assert.Equal(2, code);
        Assert.Contains("no cxr-agent executable", output, StringComparison.Ordinal);
    }
}
