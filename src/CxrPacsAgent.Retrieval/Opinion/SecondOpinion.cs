using CxrPacsAgent.Retrieval.Index;

namespace CxrPacsAgent.Retrieval.Opinion;

/// <summary>The k-NN second opinion over any search engine of the library.</summary>
public static class SecondOpinion
{
    /// <summary>The query's neighbours with their mean score and majority label (k = <see cref="SimilarityQuery.K"/>).</summary>
    public static async Task<KnnOpinion> SecondOpinionAsync(this ILibrarySearch library, SimilarityQuery query,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(query);
        return KnnOpinion.From(await library.SearchAsync(query, cancellationToken).ConfigureAwait(false), query.K);
    }
}
