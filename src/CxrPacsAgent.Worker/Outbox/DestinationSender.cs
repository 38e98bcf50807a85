using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Network;
using CxrPacsAgent.Dicom.Network.Client;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Outbox;

/// <summary>
/// Sends a batch of outbox items to one destination over one association (the toolkit's <see cref="DicomClient"/>).
/// A document whose own transfer syntax the destination did not accept is transcoded before its C-STORE-RQ goes out,
/// never after. When the association is lost, a new one is opened once and the instance that was in flight is sent
/// again; whatever is left then waits for the next round.
/// </summary>
public sealed class DestinationSender(AgentPaths paths, IOptions<OutboxOptions> outbox, IOptions<DicomOptions> dicom, ILoggerFactory loggers)
{
    private readonly NetworkLog log = NetworkLogAdapter.For(loggers.CreateLogger("CxrPacsAgent.Dicom.Network.Client"));

    private string TempFolder => Path.Combine(paths.Outbox, "tmp");

    public async Task<IReadOnlyDictionary<long, SendOutcome>> SendAsync(DestinationOptions destination, IReadOnlyList<OutboxItem> items,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(items);
        var outcomes = new Dictionary<long, SendOutcome>();
        var queue = new List<(OutboxItem Item, StoreFile File)>();
        foreach (var item in items)
        {
            if (StoreFile.TryOpen(Path.Combine(paths.Outbox, item.Document.File), out var file, out var error))
            {
                queue.Add((item, file!));
            }
            else
            {
                outcomes[item.Id] = new SendOutcome(SendVerdict.Final, "DocumentUnreadable", error ?? "not readable");
            }
        }
        var options = ClientOptions(destination);
        for (var association = 0; queue.Count > 0 && association < 2; association++)
        {
            DicomClient client;
            try
            {
                client = await DicomClient.ConnectAsync(destination.Host, destination.Port, StoreScu.Propose(queue.Select(q => q.File)), options,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DicomNetworkException or IOException)
            {
                var failure = SendClassifier.FromException(e);
                foreach (var (item, _) in queue)
                {
                    outcomes[item.Id] = failure;
                }
                return outcomes;
            }
            await using (client.ConfigureAwait(false))
            {
                if (await SendOnAsync(client, queue, outcomes, cancellationToken).ConfigureAwait(false) is { } lost)
                {
                    // The instance in flight goes again on a new association; if that one is lost too, it waits.
                    if (association == 1)
                    {
                        outcomes[queue[0].Item.Id] = lost;
                        queue.RemoveAt(0);
                    }
                    continue;
                }
                try
                {
                    await client.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is DicomNetworkException or IOException)
                {
                    // Every store was answered; a release that goes wrong changes none of them.
                }
            }
        }
        return outcomes;
    }

    /// <summary>Sends from the head of <paramref name="queue"/>; returns the failure if the association is lost (the item stays queued).</summary>
    private async Task<SendOutcome?> SendOnAsync(DicomClient client, List<(OutboxItem Item, StoreFile File)> queue,
        Dictionary<long, SendOutcome> outcomes, CancellationToken cancellationToken)
    {
        while (queue.Count > 0)
        {
            var (item, file) = queue[0];
            var prepared = Prepare(client, file);
            if (prepared is null)
            {
                outcomes[item.Id] = new SendOutcome(SendVerdict.Final, "NoPresentationContext",
                    $"the destination accepted no presentation context for {file.SopClassUid} in {file.TransferSyntax.Name} or a syntax it can be transcoded to");
                queue.RemoveAt(0);
                continue;
            }
            try
            {
                var result = await client.StoreAsync(prepared, cancellationToken).ConfigureAwait(false);
                outcomes[item.Id] = result.Status is { } status
                    ? SendClassifier.FromStatus(status, result.Error)
                    : new SendOutcome(SendVerdict.Final, "NoPresentationContext", result.Error ?? "not sent");
                queue.RemoveAt(0);
            }
            catch (Exception e) when (e is DicomNetworkException or IOException)
            {
                return SendClassifier.FromException(e);
            }
            finally
            {
                if (!ReferenceEquals(prepared, file))
                {
                    File.Delete(prepared.Path);
                }
            }
        }
        return null;
    }

    /// <summary>
    /// The file to send on this association: the document itself when its transfer syntax was accepted, else a copy
    /// transcoded into an accepted uncompressed syntax (before the request is sent), else null.
    /// </summary>
    private StoreFile? Prepare(DicomClient client, StoreFile file)
    {
        var accepted = client.Association.PresentationContexts.Values.Where(pc => pc.AbstractSyntax == file.SopClassUid)
            .Select(pc => pc.TransferSyntax).ToHashSet(StringComparer.Ordinal);
        if (accepted.Contains(file.TransferSyntax.Uid))
        {
            return file;
        }
        if (!file.CanTranscode)
        {
            return null;
        }
        var target = new[] { DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.ImplicitVRLittleEndian }
            .FirstOrDefault(ts => accepted.Contains(ts.Uid));
        if (target is null)
        {
            return null;
        }
        Directory.CreateDirectory(TempFolder);
        var path = Path.Combine(TempFolder, $"{Guid.NewGuid():N}.dcm");
        DicomFile.Open(file.Path).Save(path, target);
        return StoreFile.TryOpen(path, out var transcoded, out _) ? transcoded : null;
    }

    private DicomClientOptions ClientOptions(DestinationOptions destination)
    {
        var o = outbox.Value;
        return new DicomClientOptions
        {
            CallingAeTitle = o.CallingAeTitle.Length > 0 ? o.CallingAeTitle : dicom.Value.AeTitle,
            CalledAeTitle = destination.AeTitle,
            ConnectTimeout = o.ConnectTimeout,
            AcseTimeout = o.ResponseTimeout,
            DimseTimeout = o.ResponseTimeout,
            Log = log,
        };
    }
}
