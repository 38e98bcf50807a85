namespace CxrPacsAgent.Retrieval.Index;

/// <summary>k-NN search with filters.</summary>
public sealed partial class EmbeddingIndex
{
    /// <summary>Largest k a query may ask for.</summary>
    public const int MaxK = 1_000;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SimilarStudy>> SearchAsync(SimilarityQuery query, CancellationToken cancellationToken = default)
    {
        Neighbours.Check(query, Model, Dimensions);
        await RefreshIfDueAsync(cancellationToken).ConfigureAwait(false);
        var (table, hits) = Nearest(query.Embedding, query.K, FilterTag.Of(query.ExcludeStudyInstanceUid), FilterTag.Of(query.ExcludePatientKey));
        var current = table.Current;
        return await Neighbours.ResolveAsync(store, query, [.. hits.Select(h => (current.EntryIds[h.Key], h.Similarity))],
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The nearest slots in one consistent state; a state disposed under the search (a rebuild) is left for the new one.</summary>
    private (SlotTable Table, IReadOnlyList<Vectors.Neighbor> Hits) Nearest(float[] embedding, int k, ulong study, ulong patient)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = state;
            var table = current.Slots;
            Func<ulong, bool>? accept = study == 0 && patient == 0 ? null : slot =>
            {
                var columns = table.Current;
                return (study == 0 || columns.Studies[slot] != study) && (patient == 0 || columns.Patients[slot] != patient);
            };
            try
            {
                return (table, current.Vectors.Search(embedding, k, accept));
            }
            catch (ObjectDisposedException) when (attempt < 3 && !disposed)
            {
                // rebuilt meanwhile: search the new state
            }
        }
    }

    private async Task RefreshIfDueAsync(CancellationToken cancellationToken)
    {
        if (options.RefreshInterval <= TimeSpan.Zero
            || System.Diagnostics.Stopwatch.GetElapsedTime(lastCatchUp) < options.RefreshInterval
            || !await writeGate.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return; // not due, or a writer holds the gate: search what is there
        }
        try
        {
            await CatchUpCoreAsync(cancellationToken).ConfigureAwait(false);
            ScheduleSnapshotIfDue(); // also once the background merge has caught up with an import
        }
        finally
        {
            writeGate.Release();
        }
    }
}
