using System.Text.Json;
using System.Text.Json.Nodes;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Pipeline;
using CxrPacsAgent.Worker.State;

namespace CxrPacsAgent.Worker.Outbox;

/// <summary>
/// <c>{Storage:Root}/dead-letter/{destination}/</c>: each document given up on, beside a <c>.reason.json</c> saying why
/// (reason, detail, attempts, times). An administrator can fix the cause and send the files with <c>cxr-agent send</c>.
/// </summary>
public sealed class DeadLetterFolder(AgentPaths paths, TimeProvider time)
{
    public string FolderFor(string destination) => Path.Combine(paths.DeadLetters, destination);

    public async Task WriteAsync(OutboxItem item, SendOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(outcome);
        var folder = FolderFor(item.Destination);
        var name = Path.GetFileName(item.Document.File);
        var source = Path.Combine(paths.Outbox, item.Document.File);
        if (File.Exists(source))
        {
            await DurableFile.WriteAsync(Path.Combine(folder, name), await File.ReadAllBytesAsync(source, cancellationToken).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        var reason = new JsonObject
        {
            ["sopInstanceUid"] = item.Document.SopInstanceUid,
            ["sopClassUid"] = item.Document.SopClassUid,
            ["destination"] = item.Destination,
            ["jobId"] = item.JobId,
            ["reason"] = outcome.Reason,
            ["detail"] = outcome.Detail,
            ["attempts"] = item.Attempts + 1,
            ["queuedAt"] = item.CreatedAt,
            ["deadLetteredAt"] = time.GetUtcNow(),
        };
        await DurableFile.WriteAsync(Path.Combine(folder, name + ".reason.json"),
            JsonSerializer.SerializeToUtf8Bytes(reason, new JsonSerializerOptions { WriteIndented = true }), cancellationToken).ConfigureAwait(false);
    }
}
