using System.Diagnostics;
using System.Globalization;
using CxrPacsAgent.Dicom.Imaging.Codecs.Jpeg2000;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;

namespace CxrPacsAgent.IntegrationTests.Network;

/// <summary>The network verbs of <c>cxr-agent</c>, run as the built program a user runs, exit codes included.</summary>
public class CliTests
{
    private static readonly string Agent = Path.Combine(AppContext.BaseDirectory, "cxr-agent.dll");

    private static Task<(int ExitCode, string Output)> AgentAsync(params string[] args) =>
        PeerProcess.RunAsync("dotnet", [Agent, .. args], TimeSpan.FromSeconds(90));

    [SkippableFact]
    public async Task Convert_decodes_jpeg_2000_and_names_the_library_when_it_is_missing()
    {
        Skip.IfNot(OpenJpeg.IsAvailable, OpenJpeg.UnavailableReason);
        using var temp = new TempFolder("cli-j2k");
        var output = Path.Combine(temp.Path, "native.dcm");
        var source = Samples.Codec("pydicom_GDCMJ2K_TextGBR.dcm");
        var (code, log) = await AgentAsync("convert", source, output, "--transfer-syntax", "1.2.840.10008.1.2.1");
        Assert.True(code == 0, log);
        Assert.Equal(400 * 400 * 3, Samples.PixelData(output).Length);
        // Pointed at a library that is not there, the agent says which library it needs and how to get it.
        var (missing, message) = await PeerProcess.RunAsync("dotnet", [Agent, "convert", source, output + "2", "--transfer-syntax", "1.2.840.10008.1.2.1"],
            TimeSpan.FromSeconds(90), new Dictionary<string, string> { [OpenJpeg.LibraryVariable] = "/nonexistent/libopenjp2.so.7" });
        Assert.Equal(3, missing);
        Assert.Contains("/nonexistent/libopenjp2.so.7", message, StringComparison.Ordinal);
        Assert.Contains("apt-get install libopenjp2-7", message, StringComparison.Ordinal);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Echo_exits_zero_on_success_and_non_zero_otherwise()
    {
        await using var scp = await TestServer.StartAsync();
        var (code, output) = await AgentAsync("echo", Loopback.Host, Text(scp.Port), "--aet", "CLI", "--aec", TestServer.AeTitle);
        Assert.True(code == 0, output);
        Assert.Contains("0000H (Success)", output, StringComparison.Ordinal);

        (code, output) = await AgentAsync("echo", Loopback.Host, Text(scp.Port), "--aet", "CLI", "--aec", "NOTTHEM");
        Assert.Equal(1, code);
        Assert.Contains("called-AE-title-not-recognized", output, StringComparison.Ordinal);

        (code, output) = await AgentAsync("echo", Loopback.Host, Text(Loopback.FreePort()), "--timeout", "3");
        Assert.Equal(1, code);
        Assert.Contains("cannot connect", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_stores_a_folder_and_reports_each_file()
    {
        using var temp = new TempFolder("cli-send");
        var folder = temp.Sub("in");
        var files = Enumerable.Range(0, 5).Select(i => Samples.Dx16(folder, 64, 64, seed: i)).ToList();
        File.Copy(Samples.Codec("fodicom_GH538-jpeg14sv1.dcm"), Path.Combine(folder, "jpeg.dcm"));
        await File.WriteAllTextAsync(Path.Combine(folder, "README.txt"), "not DICOM");
        await using (var storescp = await Storescp.StartAsync("+xa"))
        {
            var (code, output) = await AgentAsync("send", Loopback.Host, Text(storescp.Port), folder, "--aec", Storescp.AeTitle);
            Assert.True(code == 0, output);
            Assert.Contains("README.txt: skipped, not DICOM", output, StringComparison.Ordinal);
            Assert.Contains("6 of 6 files stored", output, StringComparison.Ordinal);
            Assert.Equal(6, storescp.Received().Count);
        }
        // A peer that takes only uncompressed data: the JPEG file fails, so the exit code says so.
        await using (var plain = await Storescp.StartAsync())
        {
            var (code, output) = await AgentAsync("send", Loopback.Host, Text(plain.Port), folder, "--aec", Storescp.AeTitle);
            Assert.Equal(1, code);
            Assert.Contains("5 of 6 files stored", output, StringComparison.Ordinal);
        }
        // A named file that is not DICOM is an error, not a skip.
        var (named, _) = await AgentAsync("send", Loopback.Host, "1", Path.Combine(folder, "README.txt"));
        Assert.Equal(1, named);
    }

    [Fact]
    public async Task Store_scp_receives_until_terminated()
    {
        using var temp = new TempFolder("cli-scp");
        var output = temp.Sub("out");
        var port = Loopback.FreePort();
        await using var agent = PeerProcess.Start("dotnet", [Agent, "store-scp", "--port", Text(port), "--aet", "CLIRECV", "--out", output, "--bind", "127.0.0.1"]);
        await Loopback.WaitForListenerAsync(port, TimeSpan.FromSeconds(30), agent);
        var files = Enumerable.Range(0, 3).Select(i => Samples.Dx16(temp.Path, 64, 64, seed: i)).ToList();
        var (code, log) = await PeerProcess.RunAsync("storescu", ["-aet", "S", "-aec", "CLIRECV", Loopback.Host, Text(port), .. files]);
        Assert.True(code == 0, log + agent.Output);
        Assert.Equal(files.Select(Samples.SopInstanceUid).Order(), Directory.GetFiles(output, "*.dcm").Select(Samples.SopInstanceUid).Order());

        using (var kill = Process.Start("kill", ["-TERM", Text(agent.Id)]))
        {
            await kill.WaitForExitAsync();
        }
        Assert.Equal(0, await agent.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("3 instances stored", agent.Output, StringComparison.Ordinal);
        // The log names SOP Instance UIDs, never the (synthetic) patient.
        Assert.DoesNotContain(Samples.PatientName, agent.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Convert_makes_its_output_durable_file_and_folder()
    {
        // strace as the judge of what reaches the disk: the file is fsync'd before the rename, its folder after it.
        using var temp = new TempFolder("cli-fsync");
        var source = Samples.Dx16(temp.Path, 32, 32);
        var output = Path.Combine(temp.Sub("out"), "converted.dcm");
        var trace = Path.Combine(temp.Path, "trace.txt");
        var (code, log) = await PeerProcess.RunAsync("strace",
            ["-f", "-qq", "-e", "trace=openat,fsync,fdatasync,rename,renameat,renameat2", "-o", trace, Tools.Find("dotnet"), Agent,
                "convert", source, output, "--transfer-syntax", "1.2.840.10008.1.2"], TimeSpan.FromSeconds(90));
        Assert.True(code == 0, log);
        var lines = File.ReadAllLines(trace);
        var rename = Array.FindIndex(lines, l => l.Contains("rename", StringComparison.Ordinal) && l.Contains($"\"{output}\"", StringComparison.Ordinal));
        Assert.True(rename > 0, "no rename onto the output:\n" + string.Join('\n', lines.Where(l => l.Contains(temp.Path, StringComparison.Ordinal))));
        var temporary = System.Text.RegularExpressions.Regex.Match(lines[rename], "\"([^\"]+\\.tmp)\"").Groups[1].Value;
        Assert.Contains(Fsyncs(lines, temporary), i => i < rename);
        Assert.Contains(Fsyncs(lines, Path.GetDirectoryName(output)!), i => i > rename);
    }

    /// <summary>Lines of the trace that fsync a descriptor opened on <paramref name="path"/> (pid and fd matched).</summary>
    private static IEnumerable<int> Fsyncs(string[] lines, string path)
    {
        var opened = new System.Text.RegularExpressions.Regex($"^(\\d+) +openat\\(AT_FDCWD, \"{System.Text.RegularExpressions.Regex.Escape(path)}\".* = (\\d+)$");
        foreach (var (line, index) in lines.Select((l, i) => (l, i)))
        {
            if (opened.Match(line) is { Success: true } open)
            {
                var fsync = $"{open.Groups[1].Value} +f(data)?sync\\({open.Groups[2].Value}\\) += 0";
                var at = Array.FindIndex(lines, index + 1, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^" + fsync));
                if (at > 0)
                {
                    yield return at;
                }
            }
        }
    }
}
