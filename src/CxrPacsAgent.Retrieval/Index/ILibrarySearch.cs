namespace CxrPacsAgent.Retrieval.Index;

/// <summary>
/// One model's similar-study library as the service uses it, whichever engine searches it: each agent's in-memory
/// index (<see cref="EmbeddingIndex"/>) or pgvector inside the shared PostgreSQL database
/// (<see cref="Storage.Postgres.PgvectorLibrary"/>). The store's rows are the truth for both.
/// </summary>
public interface ILibrarySearch : IAsyncDisposable
{
    /// <summary>The model whose embeddings the library holds; queries and entries of another are refused.</summary>
    ModelIdentity Model { get; }

    /// <summary>The most similar entries of this model, best first, without the excluded study and patient.</summary>
    /// <exception cref="RetrievalException">Another model's query, other dimensions, or the store failed.</exception>
    Task<IReadOnlyList<SimilarStudy>> SearchAsync(SimilarityQuery query, CancellationToken cancellationToken = default);

    /// <summary>Stores an entry (replacing the model's entry with the same SOP Instance UID) and makes it searchable.</summary>
    /// <exception cref="RetrievalException">An entry of another model, of other dimensions, or invalid; the store failed.</exception>
    Task StoreAsync(LibraryEntry entry, CancellationToken cancellationToken = default);
}
