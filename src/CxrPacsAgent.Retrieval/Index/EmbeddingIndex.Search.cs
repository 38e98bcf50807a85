using CxrPacsAgent.Retrieval.Opinion;

namespace CxrPacsAgent.Retrieval.Index;

/// <summary>k-NN search with filters, and the k-NN second opinion built on it.</summary>
public sealed partial class EmbeddingIndex
{
    /// <summary>Largest k a query may ask for.</summary>
    public const int MaxK = 1_000;

    /// <summary>The most similar entries of this model, best first, without the excluded study and patient.</summary>
    /// <exception cref="RetrievalException">The query's model is another (<see cref="RetrievalError.ModelMismatch"/>), or its dimensions differ.</exception>
    public async Task<IReadOnlyList<SimilarStudy>> SearchAsync(SimilarityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Model != Model)
        {
            throw new RetrievalException(RetrievalError.ModelMismatch,
                $"the query's embedding was made by {query.Model}; this index holds {Model} embeddings, which are not comparable");
        }
        if (query.Embedding.Length != Dimensions)
        {
            throw new RetrievalException(RetrievalError.DimensionMismatch,
                $"the query has {query.Embedding.Length} dimensions; {Model} embeddings have {Dimensions}");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(query.K, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.K, MaxK, nameof(query));
        await RefreshIfDueAsync(cancellationToken).ConfigureAwait(false);

        var study = FilterTag.Of(query.ExcludeStudyInstanceUid);
        var patient = FilterTag.Of(query.ExcludePatientKey);
        var (table, hits) = Nearest(query.Embedding, query.K, study, patient);
        var current = table.Current;
        var ids = hits.Select(h => current.EntryIds[h.Key]).ToArray();
        var records = (await store.GetRecordsAsync([.. ids.Where(id => id != 0)], query.IncludeThumbnails, cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => r.EntryId);
        var result = new List<SimilarStudy>(hits.Count);
        for (var i = 0; i < hits.Count; i++)
        {
            // Entries removed meanwhile drop out; the strings decide exclusion (tags only narrow the search).
            if (records.TryGetValue(ids[i], out var record)
                && !string.Equals(record.StudyInstanceUid, query.ExcludeStudyInstanceUid, StringComparison.Ordinal)
                && (query.ExcludePatientKey is null || !string.Equals(record.PatientKey, query.ExcludePatientKey, StringComparison.Ordinal)))
            {
                result.Add(new SimilarStudy(record, hits[i].Similarity));
            }
        }
        return result;
    }

    /// <summary>The k-NN second opinion for a query: its neighbours' mean score and majority label (k = <see cref="SimilarityQuery.K"/>).</summary>
    public async Task<KnnOpinion> SecondOpinionAsync(SimilarityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return KnnOpinion.From(await SearchAsync(query, cancellationToken).ConfigureAwait(false), query.K);
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
