using CxrPacsAgent.Retrieval.Vectors;

namespace CxrPacsAgent.Retrieval.Index;

/// <summary>Snapshots (HNSW only: an exact index starts from its rows in well under a second) and the check against the rows.</summary>
public sealed partial class EmbeddingIndex
{
    /// <summary>Entries still in the fresh segment up to which a snapshot links them first (a few seconds at most); beyond, it waits.</summary>
    private const int MergeBeforeSnapshotLimit = 4_096;

    /// <summary>
    /// Brings the index up to date, links the fresh segment into the graph and saves a snapshot; false when there is
    /// nothing to save or it could not be written.
    /// </summary>
    public async Task<bool> SaveSnapshotAsync(CancellationToken cancellationToken = default)
    {
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpCoreAsync(cancellationToken).ConfigureAwait(false);
            return SaveSnapshotLocked();
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>
    /// Drops the in-memory index and derives it again from all rows (a fresh graph, slots packed), links every entry into
    /// the graph and saves a snapshot.
    /// Searches meanwhile see the part rebuilt so far: an administrator's operation, not one for busy hours.
    /// </summary>
    public async Task RebuildAsync(CancellationToken cancellationToken = default)
    {
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var old = vectors;
            (state, watermark, origin, snapshotProblem) = (new IndexState(new SlotTable(), new ExactVectorIndex(Dimensions)), Storage.Watermark.Start, IndexOrigin.Rows, null);
            old.Dispose(); // a search still on it fails over to the new state (SearchAsync)
            await CatchUpCoreAsync(cancellationToken).ConfigureAwait(false);
            SaveSnapshotLocked();
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>
    /// Compares the index with every row of its model: ids both ways, and each stored vector with the row's embedding.
    /// Meant for when no other process is writing (their rows would show as missing until the next catch-up).
    /// </summary>
    public async Task<ConsistencyReport> VerifyAsync(CancellationToken cancellationToken = default)
    {
        const int listed = 100;
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpCoreAsync(cancellationToken).ConfigureAwait(false);
            var seen = new HashSet<long>();
            var missing = new List<long>();
            var mismatched = new List<long>();
            var expected = new float[Dimensions];
            var stored = new float[Dimensions];
            // Removals are not wanted here: a watermark past every removal reads only entries.
            var position = new Storage.Watermark(0, long.MaxValue);
            while (true)
            {
                var batch = await store.ReadChangesAsync(model, position, CatchUpPage, cancellationToken).ConfigureAwait(false);
                foreach (var row in batch.Added)
                {
                    seen.Add(row.EntryId);
                    if (!slots.TryGetSlot(row.EntryId, out var slot))
                    {
                        missing.Add(row.EntryId);
                        continue;
                    }
                    UnitVector.Normalize(row.Embedding, expected);
                    if (!vectors.TryGet((ulong)slot, stored) || !Close(expected, stored))
                    {
                        mismatched.Add(row.EntryId);
                    }
                }
                position = batch.Next;
                if (!batch.More)
                {
                    break;
                }
            }
            var extra = slots.EntryIds.Where(id => !seen.Contains(id)).ToList();
            return new ConsistencyReport(seen.Count, vectors.Count, [.. missing.Take(listed)], [.. extra.Take(listed)], [.. mismatched.Take(listed)]);
        }
        finally
        {
            writeGate.Release();
        }
    }

    private static bool Close(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (MathF.Abs(a[i] - b[i]) > 1e-5f)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Under the write gate. Failures are kept for <see cref="Statistics"/>, never thrown: the rows are the truth.</summary>
    private bool SaveSnapshotLocked()
    {
        if (snapshotFolder is null || vectors is not BufferedHnswIndex buffered)
        {
            return false;
        }
        try
        {
            // No adds come in under the write gate: once moved, the graph holds every slot the table does.
            buffered.MoveAll();
            if (IndexSnapshot.TryWrite(snapshotFolder, model, watermark, slots, buffered.Graph, out var problem))
            {
                changesSinceSnapshot = 0;
                lastSnapshotError = null;
                return true;
            }
            lastSnapshotError = problem;
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or USearchException)
        {
            lastSnapshotError = e.Message;
            return false;
        }
    }

    /// <summary>
    /// Starts a background snapshot when enough has changed and the fresh segment is small (during a bulk import it
    /// waits for the background merge). Under the write gate; the snapshot waits for it.
    /// </summary>
    private void ScheduleSnapshotIfDue()
    {
        if (snapshotFolder is null || vectors is not BufferedHnswIndex || changesSinceSnapshot < options.SnapshotEvery || !FewPending()
            || backgroundSnapshot is { IsCompleted: false } || disposed)
        {
            return;
        }
        backgroundSnapshot = Task.Run(async () =>
        {
            try
            {
                await SaveSnapshotAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is RetrievalException or ObjectDisposedException)
            {
                lastSnapshotError = e.Message;
            }
        });
    }

    private bool FewPending() => vectors is not BufferedHnswIndex buffered || buffered.Pending <= MergeBeforeSnapshotLimit;
}
