namespace CxrPacsAgent.Worker.Pipeline.Stages;

/// <summary>
/// The similar-study index as the pipeline sees it. An adapter over CxrPacsAgent.Retrieval implements it; when one is
/// registered, <see cref="RetrieveStage"/> joins the pipeline (see <see cref="Pipeline"/>).
/// </summary>
public interface ISimilarStudyIndex
{
    /// <summary>
    /// Finds the most similar earlier studies for a scored item (its embedding is <c>item.Score.Embedding</c>), then adds
    /// the item to the index, replacing an earlier entry of the same instance so a run after a restart adds nothing twice.
    /// Returns what was found as JSON: the state store keeps it and the report stage hands it to the result writers.
    /// </summary>
    ValueTask<string> SearchAndAddAsync(WorkItem item, CancellationToken cancellationToken);

    /// <summary>The thumbnails of library entries a search found (by the entry ids in its JSON); missing ones are left out.</summary>
    ValueTask<IReadOnlyDictionary<long, Imaging.GrayImage>> ThumbnailsAsync(IReadOnlyList<long> entryIds, CancellationToken cancellationToken);

    /// <summary>
    /// Opens, at start-up (after the model loads, before studies are accepted), what configuration alone cannot check —
    /// a search engine the database must have; nothing for a library that opens with the first study.
    /// </summary>
    /// <exception cref="Hosting.StartupException">The configured search cannot run, with the key and the reason.</exception>
    ValueTask PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Writes the index to disk (the periodic index snapshot job).</summary>
    ValueTask SnapshotAsync(CancellationToken cancellationToken);
}
