namespace CxrPacsAgent.Retrieval.Storage;

/// <summary>
/// Where the library's rows live: the truth every index is derived from. Thread-safe. The SQLite implementation shares
/// the agent's state database; a PostgreSQL one can follow for several agents sharing a site's library.
/// </summary>
public interface IEmbeddingStore : IDisposable
{
    /// <summary>A local folder where indexes may keep snapshots of themselves for a fast start; null: none.</summary>
    string? SnapshotFolder { get; }

    /// <summary>The model's registration, created on first use; fails when it was registered with other dimensions.</summary>
    Task<StoredModel> RegisterModelAsync(ModelIdentity model, int dimensions, CancellationToken cancellationToken = default);

    /// <summary>Every registered model with its entry counts.</summary>
    Task<IReadOnlyList<ModelSummary>> SummarizeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the entries in one transaction, in order; an entry whose SOP Instance UID the model already has replaces
    /// it (new id, removal recorded). All or nothing.
    /// </summary>
    Task<IReadOnlyList<UpsertResult>> UpsertAsync(StoredModel model, IReadOnlyList<LibraryEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Removes the entries of a SOP Instance UID: the model's, or every model's when <paramref name="model"/> is null.</summary>
    Task<IReadOnlyList<RemovedEntry>> RemoveAsync(string sopInstanceUid, StoredModel? model = null, CancellationToken cancellationToken = default);

    /// <summary>The model's changes after <paramref name="since"/>: up to <paramref name="maxEntries"/> added entries and all removals.</summary>
    Task<ChangeBatch> ReadChangesAsync(StoredModel model, Watermark since, int maxEntries, CancellationToken cancellationToken = default);

    /// <summary>Entries the model has now.</summary>
    Task<long> CountAsync(StoredModel model, CancellationToken cancellationToken = default);

    /// <summary>Descriptions of the given entries (those that still exist), in the order asked.</summary>
    Task<IReadOnlyList<LibraryRecord>> GetRecordsAsync(IReadOnlyList<long> entryIds, bool withThumbnails, CancellationToken cancellationToken = default);

    /// <summary>Every entry of the model in full, oldest first, read a page at a time.</summary>
    IAsyncEnumerable<StoredEntry> ReadEntriesAsync(StoredModel model, CancellationToken cancellationToken = default);
}
