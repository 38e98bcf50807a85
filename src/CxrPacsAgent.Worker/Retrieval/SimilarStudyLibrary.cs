using CxrPacsAgent.Imaging;
using CxrPacsAgent.Retrieval;
using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Patients;
using CxrPacsAgent.Retrieval.Storage.Sqlite;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Observability;
using CxrPacsAgent.Worker.Pipeline;
using CxrPacsAgent.Worker.Pipeline.Stages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Retrieval;

/// <summary>
/// The service's similar-study library: the retrieval index of the loaded model over the state database (the same
/// tables and patient-id salt the <c>index</c> verbs use, so a library imported with them is searched here). Each
/// scored image is searched for, then added with its re-embedding copy and thumbnail. Opened on first use, when the
/// model is loaded.
/// </summary>
internal sealed partial class SimilarStudyLibrary(AgentPaths paths, ModelHost model, IOptions<RetrievalOptions> options,
    AgentMetrics metrics, ILogger<SimilarStudyLibrary> logger) : ISimilarStudyIndex, IAsyncDisposable
{
    private readonly SemaphoreSlim openGate = new(1, 1);
    private SqliteEmbeddingStore? store;
    private EmbeddingIndex? index;
    private PatientIdHasher? hasher;

    public async ValueTask<string> SearchAndAddAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var score = item.Score ?? throw new InvalidOperationException("the item is not scored");
        var source = item.Source?.Dataset ?? throw new InvalidOperationException("the filter stage did not run");
        var image = item.Image ?? throw new InvalidOperationException("the preprocess stage did not run");
        var settings = options.Value;
        var library = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var identity = ImageIdentity.FromDataset(source, hasher!);
        var query = new SimilarityQuery(library.Model, score.Embedding)
        {
            K = settings.K,
            ExcludeStudyInstanceUid = identity.StudyInstanceUid,
            ExcludePatientKey = settings.ExcludeSamePatient ? identity.PatientKey : null,
        };
        SimilarStudies found;
        try
        {
            var opinion = await library.SecondOpinionAsync(query, cancellationToken).ConfigureAwait(false);
            found = SimilarStudies.From(opinion, $"{score.Model} {score.ModelVersion} call");
            var (copy, thumbnail) = LibraryEmbedder.StoredImages(image);
            await library.AddAsync(LibraryEmbedder.Entry(library.Model, score.Score, score.Label, score.Embedding, identity, null,
                copy, thumbnail), cancellationToken).ConfigureAwait(false);
            metrics.SimilarStudySearches.WithLabels(found.Neighbours.Count > 0 ? "found" : "empty").Inc();
        }
        catch (RetrievalException e)
        {
            metrics.SimilarStudySearches.WithLabels(e.Error.ToString()).Inc();
            // The score and its report matter more than the similar cases: the result goes out without them, saying why.
            LogRetrievalFailed(LogValues.Uid(item.Job.SopInstanceUid), e.Error, e.Message);
            found = new SimilarStudies(score.Model, score.ModelVersion, settings.K, [], new SimilarStudiesVote(null, 0, 0, null, false))
            {
                Problem = $"{e.Error}: {e.Message}",
            };
        }
        return found.ToJson();
    }

    public async ValueTask<IReadOnlyDictionary<long, GrayImage>> ThumbnailsAsync(IReadOnlyList<long> entryIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entryIds);
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        var records = await store!.GetRecordsAsync(entryIds, withThumbnails: true, cancellationToken).ConfigureAwait(false);
        return records.Where(r => r.Thumbnail is not null).ToDictionary(r => r.EntryId, r => GreyPng.Decode(r.Thumbnail!));
    }

    public async ValueTask SnapshotAsync(CancellationToken cancellationToken)
    {
        if (index is { } open)
        {
            await open.SaveSnapshotAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (index is not null)
        {
            await index.DisposeAsync().ConfigureAwait(false);
        }
        store?.Dispose();
        openGate.Dispose();
    }

    private async ValueTask<EmbeddingIndex> OpenAsync(CancellationToken cancellationToken)
    {
        if (index is { } open)
        {
            return open;
        }
        await openGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (index is null)
            {
                var settings = options.Value;
                hasher = new PatientIdHasher(PatientIdSalt.LoadOrCreate(settings.SaltFile.Length > 0
                    ? Path.GetFullPath(settings.SaltFile) : Path.Combine(paths.StateFolder, PatientIdSalt.DefaultFileName)));
                store ??= SqliteEmbeddingStore.Open(paths.Database);
                var identity = new ModelIdentity(model.Manifest.Name, model.Manifest.Version);
                index = await EmbeddingIndex.OpenAsync(store, identity, model.Model.EmbeddingSize,
                    new EmbeddingIndexOptions { ExactSearchLimit = settings.ExactSearchLimit }, cancellationToken).ConfigureAwait(false);
                var statistics = index.Statistics();
                LogOpened(identity.Name, identity.Version, statistics.Count, statistics.Mode.ToString(), statistics.Origin.ToString());
            }
            return index;
        }
        finally
        {
            openGate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Similar-study library of {Model} {Version}: {Count} entries, {Mode} search, loaded from {Origin}")]
    private partial void LogOpened(string model, string version, long count, string mode, string origin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No similar studies for {SopInstanceUid}: {Error}: {Reason}")]
    private partial void LogRetrievalFailed(string sopInstanceUid, RetrievalError error, string reason);
}
