using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Intake;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace CxrPacsAgent.Worker.Housekeeping;

/// <summary>
/// Removes what is no longer needed: spool files of instances delivered or skipped (after
/// <c>Housekeeping:KeepProcessedFor</c>) or failed (after <c>Housekeeping:KeepFailedFor</c>), spool files no job refers
/// to (left by a crash between commit and record, or by a replaced copy), and outbox files every destination has settled.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class SpoolCleanupJob(IJobStore jobs, IOutboxStore outbox, Spool spool, AgentPaths paths,
    IOptions<HousekeepingOptions> options, TimeProvider time, ILogger<SpoolCleanupJob> logger) : IJob
{
    public static readonly JobKey Key = new("spool-cleanup", AgentJobGroup.Name);

    /// <summary>
    /// An unreferenced spool file younger than this may be one intake has just committed and is about to record.
    /// </summary>
    public static readonly TimeSpan OrphanAge = TimeSpan.FromMinutes(10);

    private const int Batch = 1000;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await RunAsync(cancellationToken).ConfigureAwait(false);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var removed = 0;
        IReadOnlyList<SpoolRelease> releases;
        do
        {
            releases = await jobs.ReleasableSpoolFilesAsync(now - options.Value.KeepProcessedFor, now - options.Value.KeepFailedFor, Batch,
                cancellationToken).ConfigureAwait(false);
            foreach (var release in releases)
            {
                File.Delete(spool.PathOf(release.SpoolFile));
                await jobs.RecordSpoolReleasedAsync(release, cancellationToken).ConfigureAwait(false);
                removed++;
            }
        }
        while (releases.Count == Batch);

        var referenced = await jobs.ReferencedSpoolFilesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var file in Directory.EnumerateFiles(spool.Folder, "*.dcm"))
        {
            if (!referenced.Contains(Path.GetFileName(file)) && now - File.GetLastWriteTimeUtc(file) > OrphanAge)
            {
                File.Delete(file);
                removed++;
            }
        }

        IReadOnlyList<string> settled;
        do
        {
            settled = await outbox.ReleasableOutboxFilesAsync(Batch, cancellationToken).ConfigureAwait(false);
            foreach (var file in settled)
            {
                File.Delete(Path.Combine(paths.Outbox, file));
                await outbox.RecordOutboxFileReleasedAsync(file, cancellationToken).ConfigureAwait(false);
                removed++;
            }
        }
        while (settled.Count == Batch);
        if (removed > 0)
        {
            LogRemoved(removed);
        }
        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Clean-up removed {Count} files no longer needed")]
    private partial void LogRemoved(int count);
}
