using CxrPacsAgent.Retrieval.Storage;
using CxrPacsAgent.Retrieval.Vectors;

namespace CxrPacsAgent.Retrieval.Index;

/// <summary>Changes: rows first (the truth), then memory; and catching up with rows other processes wrote.</summary>
public sealed partial class EmbeddingIndex
{
    /// <summary>Stores an entry (replacing the model's entry with the same SOP Instance UID) and makes it searchable.</summary>
    public async Task<IndexChange> AddAsync(LibraryEntry entry, CancellationToken cancellationToken = default) =>
        (await AddRangeAsync([entry], cancellationToken).ConfigureAwait(false))[0];

    Task ILibrarySearch.StoreAsync(LibraryEntry entry, CancellationToken cancellationToken) => AddAsync(entry, cancellationToken);

    /// <summary>Stores entries in one transaction (all or nothing), then makes them searchable.</summary>
    /// <exception cref="RetrievalException">An entry of another model, of other dimensions, or invalid; the store failed.</exception>
    public async Task<IReadOnlyList<IndexChange>> AddRangeAsync(IReadOnlyList<LibraryEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            if (entry.Model != Model)
            {
                throw new RetrievalException(RetrievalError.ModelMismatch,
                    $"entry {entry.SopInstanceUid} was made by {entry.Model}; this index holds {Model} embeddings, which are not comparable");
            }
        }
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var results = await store.UpsertAsync(model, entries, cancellationToken).ConfigureAwait(false);
            // An entry replaced within this very batch never enters memory.
            var replaced = results.Where(r => r.ReplacedEntryId is not null).Select(r => r.ReplacedEntryId!.Value).ToHashSet();
            var added = results.Select((r, i) => new AddedVector(r.EntryId, entries[i].StudyInstanceUid, entries[i].PatientKey, entries[i].Embedding))
                .Where(a => !replaced.Contains(a.EntryId)).ToList();
            Apply(added, [.. replaced]);
            ScheduleSnapshotIfDue();
            return [.. results.Select(r => new IndexChange(r.EntryId, r.ReplacedEntryId))];
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>Removes this model's entry of a SOP Instance UID from the rows and the index; false when there was none.</summary>
    public async Task<bool> RemoveAsync(string sopInstanceUid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sopInstanceUid);
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var removed = await store.RemoveAsync(sopInstanceUid, model, cancellationToken).ConfigureAwait(false);
            Apply([], [.. removed.Select(r => r.EntryId)]);
            return removed.Count > 0;
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>Applies the rows other processes wrote since the index last looked (searches also do so every <see cref="EmbeddingIndexOptions.RefreshInterval"/>).</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken = default)
    {
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpCoreAsync(cancellationToken).ConfigureAwait(false);
            ScheduleSnapshotIfDue();
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>Reads every change after the watermark, a page at a time. Under the write gate (or before the index is shared).</summary>
    private async Task CatchUpCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var batch = await store.ReadChangesAsync(model, watermark, CatchUpPage, cancellationToken).ConfigureAwait(false);
            Apply(batch.Added, batch.RemovedEntryIds);
            watermark = batch.Next;
            if (!batch.More)
            {
                break;
            }
        }
        lastCatchUp = Now();
    }

    /// <summary>
    /// Removals, then additions not yet held (applying a row twice changes nothing, so own writes and catch-up can
    /// overlap). Every vector is checked before any slot is assigned: memory never holds half a batch.
    /// </summary>
    private void Apply(IReadOnlyList<AddedVector> added, IReadOnlyList<long> removed)
    {
        foreach (var entryId in removed)
        {
            if (slots.TryRelease(entryId, out var slot))
            {
                vectors.Remove((ulong)slot);
                changesSinceSnapshot++;
            }
        }
        var fresh = added.Where(a => !slots.Contains(a.EntryId)).ToList();
        if (fresh.Count == 0)
        {
            return;
        }
        var rows = new float[fresh.Count * Dimensions];
        for (var i = 0; i < fresh.Count; i++)
        {
            if (fresh[i].Embedding.Length != Dimensions)
            {
                throw new RetrievalException(RetrievalError.DimensionMismatch,
                    $"entry {fresh[i].EntryId} has a {fresh[i].Embedding.Length}-dimensional embedding; {Model} has {Dimensions}");
            }
            UnitVector.Normalize(fresh[i].Embedding, rows.AsSpan(i * Dimensions, Dimensions));
        }
        UseHnswBeyondLimit(slots.Live + fresh.Count);
        var keys = new ulong[fresh.Count];
        for (var i = 0; i < fresh.Count; i++)
        {
            keys[i] = (ulong)slots.Assign(fresh[i].EntryId, FilterTag.Of(fresh[i].StudyInstanceUid), FilterTag.Of(fresh[i].PatientKey));
        }
        vectors.AddRange(keys, rows);
        changesSinceSnapshot += fresh.Count;
    }

    /// <summary>
    /// Puts a copy of an exact index that will outgrow <see cref="EmbeddingIndexOptions.ExactSearchLimit"/> in front of an
    /// empty HNSW graph as its fresh segment: searchable at once, its vectors linked into the graph in the background. A
    /// copy, because searches still running on the exact index must find all of it; it is left to the garbage collector.
    /// </summary>
    private void UseHnswBeyondLimit(long total)
    {
        if (vectors is not ExactVectorIndex exact || total <= options.ExactSearchLimit)
        {
            return;
        }
        var graph = new HnswVectorIndex(Dimensions, options.Hnsw, initialCapacity: Math.Max(1024, total * 2));
        state = state with { Vectors = new BufferedHnswIndex(graph, exact.Copy((int)Math.Min(int.MaxValue / Dimensions, total * 2))) };
    }

    /// <summary>
    /// Links every entry still in the fresh segment into the HNSW graph now, on this call's thread (the background thread
    /// gets there too; this is for an import that wants the graph complete, and for tests). Adds and searches go on meanwhile.
    /// </summary>
    public async Task MergePendingAsync(CancellationToken cancellationToken = default)
    {
        await Task.Run(() =>
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    (vectors as BufferedHnswIndex)?.MoveAll(cancellationToken);
                    return;
                }
                catch (ObjectDisposedException) when (attempt < 3 && !disposed)
                {
                    // rebuilt meanwhile: merge the new state
                }
            }
        }, cancellationToken).ConfigureAwait(false);
    }
}
