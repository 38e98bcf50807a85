using CxrPacsAgent.Retrieval.Storage;

namespace CxrPacsAgent.Retrieval.Index;

/// <summary>What every search engine does before and after its own nearest-neighbour step.</summary>
internal static class Neighbours
{
    /// <summary>Refuses a query the library cannot answer meaningfully: another model's, other dimensions, k out of range.</summary>
    public static void Check(SimilarityQuery query, ModelIdentity model, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Model != model)
        {
            throw new RetrievalException(RetrievalError.ModelMismatch,
                $"the query's embedding was made by {query.Model}; this index holds {model} embeddings, which are not comparable");
        }
        if (query.Embedding.Length != dimensions)
        {
            throw new RetrievalException(RetrievalError.DimensionMismatch,
                $"the query has {query.Embedding.Length} dimensions; {model} embeddings have {dimensions}");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(query.K, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.K, EmbeddingIndex.MaxK, nameof(query));
    }

    /// <summary>
    /// The hits (entry id 0: a slot emptied meanwhile) as neighbours with their rows, in the hits' order. Entries
    /// removed meanwhile drop out; the stored strings decide the exclusions (an engine's filter may only narrow).
    /// </summary>
    public static async Task<IReadOnlyList<SimilarStudy>> ResolveAsync(IEmbeddingStore store, SimilarityQuery query,
        IReadOnlyList<(long EntryId, float Similarity)> hits, CancellationToken cancellationToken)
    {
        var records = (await store.GetRecordsAsync([.. hits.Select(h => h.EntryId).Where(id => id != 0)], query.IncludeThumbnails,
            cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.EntryId);
        var result = new List<SimilarStudy>(hits.Count);
        foreach (var (entryId, similarity) in hits)
        {
            if (records.TryGetValue(entryId, out var record)
                && !string.Equals(record.StudyInstanceUid, query.ExcludeStudyInstanceUid, StringComparison.Ordinal)
                && (query.ExcludePatientKey is null || !string.Equals(record.PatientKey, query.ExcludePatientKey, StringComparison.Ordinal)))
            {
                result.Add(new SimilarStudy(record, similarity));
            }
        }
        return result;
    }
}
