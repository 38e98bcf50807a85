using System.Diagnostics;
using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Network.Client;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.IntegrationTests.Network.TestSupport;
using CxrPacsAgent.IntegrationTests.Service.TestSupport;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace CxrPacsAgent.IntegrationTests.Service;

/// <summary>
/// The data folder fills up: a C-STORE is answered A700 (out of resources) and nothing half-written is left; when
/// space returns the agent takes instances again by itself. Needs a small tmpfs, which only root may mount: skipped,
/// with the reason, where mounting is not allowed.
/// </summary>
public sealed class DiskFullTests
{
    [SkippableFact]
    public async Task A_full_disk_answers_A700_leaves_nothing_half_written_and_recovers_when_space_returns()
    {
        using var temp = new TempFolder("diskfull");
        var mount = temp.Sub("tmpfs");
        var (mounted, why) = await MountAsync(mount, "32m");
        Skip.IfNot(mounted, $"a tmpfs cannot be mounted here ({why}); run the tests as root to check the disk-full path");
        try
        {
            await using var agent = new AgentProcess(mount, new JsonObject
            {
                // Only the disk itself says no: the free-space pre-check is off, so the write path meets ENOSPC.
                ["Storage"] = new JsonObject { ["Root"] = Path.Combine(mount, "data"), ["MinimumFreeSpaceMb"] = 0 },
            });
            await agent.StartAsync();
            var input = temp.Sub("in");
            var big = TestInstances.FrontalDx(input, film: 7, size: 1400);
            var router = new DicomClientOptions { CallingAeTitle = "ROUTER", CalledAeTitle = AgentProcess.AeTitle };

            // Leave about a megabyte: less than the 3.9 MB instance needs.
            var filler = Path.Combine(mount, "filler");
            Fill(filler, mount, leave: 1024 * 1024);
            var refused = Assert.Single(await StoreScu.SendAsync(Loopback.Host, agent.DicomPort, [big], router));
            Assert.Equal(DimseStatus.OutOfResources, refused.Status);
            Assert.Empty(Directory.GetFiles(Path.Combine(agent.Data, "spool", "tmp")));
            Assert.Empty(Directory.GetFiles(Path.Combine(agent.Data, "spool"), "*.dcm"));

            // Space returns: the same instance goes through and is processed, with no restart.
            File.Delete(filler);
            var accepted = Assert.Single(await StoreScu.SendAsync(Loopback.Host, agent.DicomPort, [big], router));
            Assert.Equal(DimseStatus.Success, accepted.Status);
            await agent.WaitIdleAsync(TimeSpan.FromSeconds(60));
            Assert.NotNull(agent.Result(TestInstances.SopInstanceUid(big)));
            Assert.Equal(0, await agent.StopAsync());

            SqliteConnection.ClearAllPools();
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(agent.Data, "state", "agent.db")}");
            await connection.OpenAsync();
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", await check.ExecuteScalarAsync());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await RunAsync("umount", "-l", mount);
        }
    }

    /// <summary>Writes a file until the volume has about <paramref name="leave"/> bytes free.</summary>
    private static void Fill(string path, string volume, long leave)
    {
        var free = new DriveInfo(volume).AvailableFreeSpace;
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        var block = new byte[64 * 1024];
        for (long written = 0; written < free - leave; written += block.Length)
        {
            file.Write(block);
        }
        file.Flush(flushToDisk: true);
    }

    private static async Task<(bool Mounted, string Why)> MountAsync(string folder, string size)
    {
        try
        {
            var (code, output) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", folder);
            return (code == 0, output.Trim());
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            return (false, e.Message);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var output = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
