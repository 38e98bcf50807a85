using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Pdus;

namespace CxrPacsAgent.Dicom.Network.Client;

/// <summary>
/// Sends many files with C-STORE, in as few associations as the 128 presentation contexts allow (PS3.8 9.3.2.2): one
/// context per SOP class and transfer syntax found, offering that syntax first so the file can go as it is stored,
/// then (for native and deflated files, which we can re-encode) Explicit and Implicit VR Little Endian as fallbacks.
/// </summary>
public static class StoreScu
{
    /// <summary>Odd IDs 1–255 give 128 presentation contexts per association.</summary>
    public const int MaxPresentationContexts = 128;

    public static async Task<IReadOnlyList<StoreResult>> SendAsync(string host, int port, IEnumerable<string> paths,
        DicomClientOptions options, Action<StoreResult>? onResult = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<StoreResult>();
        void Report(StoreResult result)
        {
            results.Add(result);
            onResult?.Invoke(result);
        }

        var files = new List<StoreFile>();
        foreach (var path in paths)
        {
            if (StoreFile.TryOpen(path, out var file, out var error))
            {
                files.Add(file!);
            }
            else
            {
                Report(new StoreResult(path, null, null, "not a DICOM file: " + error) { NotDicom = true });
            }
        }
        foreach (var batch in Batches(files))
        {
            await SendBatchAsync(host, port, batch, options, Report, cancellationToken).ConfigureAwait(false);
        }
        return results;
    }

    /// <summary>The presentation contexts proposed for <paramref name="files"/>, at most 128.</summary>
    public static IReadOnlyList<PresentationContextProposal> Propose(IEnumerable<StoreFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var groups = new Dictionary<(string, string), List<string>>();
        var order = new List<(string, string)>();
        foreach (var file in files)
        {
            var key = (file.SopClassUid, GroupOf(file.TransferSyntax));
            if (!groups.TryGetValue(key, out var syntaxes))
            {
                groups[key] = syntaxes = [];
                order.Add(key);
            }
            if (!syntaxes.Contains(file.TransferSyntax.Uid))
            {
                syntaxes.Add(file.TransferSyntax.Uid);
            }
            if (file.CanTranscode)
            {
                foreach (var ts in new[] { DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid })
                {
                    if (!syntaxes.Contains(ts))
                    {
                        syntaxes.Add(ts);
                    }
                }
            }
        }
        if (order.Count > MaxPresentationContexts)
        {
            throw new ArgumentException($"{order.Count} presentation contexts are needed; an association has {MaxPresentationContexts}.", nameof(files));
        }
        return order.Select((key, i) => new PresentationContextProposal((byte)(2 * i + 1), key.Item1, groups[key])).ToList();
    }

    private static string GroupOf(DicomTransferSyntax syntax) => syntax.Uid;

    private static IEnumerable<List<StoreFile>> Batches(List<StoreFile> files)
    {
        var batch = new List<StoreFile>();
        var keys = new HashSet<(string, string)>();
        foreach (var file in files)
        {
            var key = (file.SopClassUid, GroupOf(file.TransferSyntax));
            if (!keys.Contains(key) && keys.Count == MaxPresentationContexts)
            {
                yield return batch;
                batch = [];
                keys.Clear();
            }
            keys.Add(key);
            batch.Add(file);
        }
        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>Associations opened again after one was lost, before the rest of a batch is given up.</summary>
    private const int MaxReconnects = 3;

    private static async Task SendBatchAsync(string host, int port, List<StoreFile> batch, DicomClientOptions options,
        Action<StoreResult> report, CancellationToken cancellationToken)
    {
        var next = 0;
        for (var attempt = 0; next < batch.Count; attempt++)
        {
            var remaining = batch.GetRange(next, batch.Count - next);
            DicomClient client;
            try
            {
                client = await DicomClient.ConnectAsync(host, port, Propose(remaining), options, cancellationToken).ConfigureAwait(false);
            }
            catch (DicomNetworkException e)
            {
                foreach (var file in remaining)
                {
                    report(new StoreResult(file.Path, file.SopInstanceUid, null, e.Message));
                }
                return;
            }
            await using (client.ConfigureAwait(false))
            {
                string? lost = null;
                try
                {
                    for (; next < batch.Count; next++)
                    {
                        report(await client.StoreAsync(batch[next], cancellationToken).ConfigureAwait(false));
                    }
                    await client.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (DicomNetworkException e)
                {
                    lost = e.Message;
                }
                catch (IOException e)
                {
                    lost = "connection lost: " + e.Message;
                }
                // The association is gone with the file in flight: that file failed; the rest go on a new association.
                options.Log?.Invoke(NetworkLogLevel.Warning, $"association lost while sending {batch[next].Path}: {lost}");
                report(new StoreResult(batch[next].Path, batch[next].SopInstanceUid, null, lost));
                next++;
                if (attempt == MaxReconnects)
                {
                    for (; next < batch.Count; next++)
                    {
                        report(new StoreResult(batch[next].Path, batch[next].SopInstanceUid, null, "not sent: " + lost));
                    }
                }
            }
        }
    }
}
