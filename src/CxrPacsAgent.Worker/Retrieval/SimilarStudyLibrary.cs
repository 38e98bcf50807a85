using CxrPacsAgent.Imaging;
using CxrPacsAgent.Retrieval;
using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Opinion;
using CxrPacsAgent.Retrieval.Patients;
using CxrPacsAgent.Retrieval.Storage;
using CxrPacsAgent.Retrieval.Storage.Postgres;
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
/// model is loaded. With several agents (<c>State:Provider</c> = <c>postgresql</c>) the library is the shared database's
/// and this agent's index is told of every other agent's additions (LISTEN/NOTIFY), so they are searched here at once —
/// or, with <c>Retrieval:Search</c> = <c>pgvector</c>, the database searches it and there is no index here (opened at
/// start-up, so a server without the extension stops the start with the reason).
/// </summary>
internal sealed partial class SimilarStudyLibrary(AgentPaths paths, ModelHost model, IOptions<RetrievalOptions> options,
    IOptions<StateOptions> state, AgentMetrics metrics, ILogger<SimilarStudyLibrary> logger) : ISimilarStudyIndex, IAsyncDisposable
{
    private readonly SemaphoreSlim openGate = new(1, 1);
    private IEmbeddingStore? store;
    private PostgresChangeListener? listener;
    private ILibrarySearch? library;
    private PatientIdHasher? hasher;

    public async ValueTask<string> SearchAndAddAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var score = item.Score ?? throw new InvalidOperationException("the item is not scored");
        var source = item.Source?.Dataset ?? throw new InvalidOperationException("the filter stage did not run");
        var image = item.Image ?? throw new InvalidOperationException("the preprocess stage did not run");
        var settings = options.Value;
        var open = await Passing(() => OpenAsync(cancellationToken).AsTask()).ConfigureAwait(false);
        var identity = ImageIdentity.FromDataset(source, hasher!);
        var query = new SimilarityQuery(open.Model, score.Embedding)
        {
            K = settings.K,
            ExcludeStudyInstanceUid = identity.StudyInstanceUid,
            ExcludePatientKey = settings.ExcludeSamePatient ? identity.PatientKey : null,
        };
        SimilarStudies found;
        try
        {
            var opinion = await open.SecondOpinionAsync(query, cancellationToken).ConfigureAwait(false);
            found = SimilarStudies.From(opinion, $"{score.Model} {score.ModelVersion} call");
            var (copy, thumbnail) = LibraryEmbedder.StoredImages(image);
            await open.StoreAsync(LibraryEmbedder.Entry(open.Model, score.Score, score.Label, score.Embedding, identity, null,
                copy, thumbnail), cancellationToken).ConfigureAwait(false);
            metrics.SimilarStudySearches.WithLabels(found.Neighbours.Count > 0 ? "found" : "empty").Inc();
        }
        catch (RetrievalException e) when (e.Error == RetrievalError.StoreFailure)
        {
            metrics.SimilarStudySearches.WithLabels(e.Error.ToString()).Inc();
            // The database is away or busy: a passing problem, so the stage runs again after Pipeline:RetryDelay.
            throw new IOException($"similar-study library: {e.Message}", e);
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
        var records = await Passing(async () =>
        {
            await OpenAsync(cancellationToken).ConfigureAwait(false);
            return await store!.GetRecordsAsync(entryIds, withThumbnails: true, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return records.Where(r => r.Thumbnail is not null).ToDictionary(r => r.EntryId, r => GreyPng.Decode(r.Thumbnail!));
    }

    public async ValueTask PrepareAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.UsesPgvector)
        {
            return; // the index opens with the first study, so a large library does not hold up the listener
        }
        try
        {
            await OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RetrievalException e)
        {
            throw new StartupException($"Retrieval:Search: pgvector: {e.Message}", e) { ExitCode = 2 };
        }
    }

    public async ValueTask SnapshotAsync(CancellationToken cancellationToken)
    {
        if (library is EmbeddingIndex index)
        {
            await index.SaveSnapshotAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (listener is not null)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
        if (library is not null)
        {
            await library.DisposeAsync().ConfigureAwait(false);
        }
        store?.Dispose();
        openGate.Dispose();
    }

    private async ValueTask<ILibrarySearch> OpenAsync(CancellationToken cancellationToken)
    {
        if (library is { } ready)
        {
            return ready;
        }
        await openGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (library is null)
            {
                var settings = options.Value;
                hasher = new PatientIdHasher(PatientIdSalt.LoadOrCreate(settings.SaltPath(paths)));
                var shared = state.Value.IsPostgreSql;
                // Shared: no snapshots (agents would overwrite one another's in the shared folder); the index starts from the rows.
                store ??= shared
                    ? await PostgresEmbeddingStore.OpenAsync(state.Value.ConnectionString, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : SqliteEmbeddingStore.Open(paths.Database);
                var identity = new ModelIdentity(model.Manifest.Name, model.Manifest.Version);
                var (opened, entries) = settings.UsesPgvector
                    ? await OpenPgvectorAsync(store, identity, cancellationToken).ConfigureAwait(false)
                    : await OpenIndexAsync(store, identity, shared, cancellationToken).ConfigureAwait(false);
                library = opened;
                if (entries == 0)
                {
                    await WarnOfOtherModelsAsync(store, identity, cancellationToken).ConfigureAwait(false);
                }
            }
            return library;
        }
        finally
        {
            openGate.Release();
        }
    }

    private async Task<(ILibrarySearch, long Entries)> OpenIndexAsync(IEmbeddingStore rows, ModelIdentity identity, bool shared, CancellationToken cancellationToken)
    {
        var opened = await EmbeddingIndex.OpenAsync(rows, identity, model.Model.EmbeddingSize,
            new EmbeddingIndexOptions { ExactSearchLimit = options.Value.ExactSearchLimit, UseSnapshots = !shared }, cancellationToken).ConfigureAwait(false);
        if (shared)
        {
            listener = new PostgresChangeListener(state.Value.ConnectionString, opened.CatchUpAsync,
                e => LogListenerFailed(e.GetType().Name, e.Message));
        }
        var statistics = opened.Statistics();
        LogOpened(identity.Name, identity.Version, statistics.Count, statistics.Mode.ToString(), statistics.Origin.ToString());
        return (opened, statistics.Count);
    }

    private async Task<(ILibrarySearch, long Entries)> OpenPgvectorAsync(IEmbeddingStore rows, ModelIdentity identity, CancellationToken cancellationToken)
    {
        var opened = await PgvectorLibrary.OpenAsync(rows, state.Value.ConnectionString, identity, model.Model.EmbeddingSize,
            cancellationToken).ConfigureAwait(false);
        var entries = await opened.CountAsync(cancellationToken).ConfigureAwait(false);
        LogOpenedPgvector(identity.Name, identity.Version, entries, opened.CaughtUpAtOpen);
        return (opened, entries);
    }

    /// <summary>
    /// A library kept under an earlier model is not searched by this one (embeddings of different models never mix):
    /// after a model upgrade the log says how to re-embed it, rather than the agent quietly finding no similar studies.
    /// </summary>
    private async Task WarnOfOtherModelsAsync(IEmbeddingStore rows, ModelIdentity identity, CancellationToken cancellationToken)
    {
        var other = (await rows.SummarizeAsync(cancellationToken).ConfigureAwait(false))
            .Where(s => s.Model.Identity != identity).MaxBy(s => s.Entries);
        if (other is { Entries: > 0 })
        {
            LogOtherModel(identity.Name, identity.Version, other.Entries, other.Model.Identity.Name, other.Model.Identity.Version);
        }
    }

    /// <summary>
    /// A store failure (the database away, busy past its timeout, the disk full) as the pipeline's passing problem, an
    /// <see cref="IOException"/>: the stage is tried again rather than the job failed for good.
    /// </summary>
    private static async Task<T> Passing<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (RetrievalException e) when (e.Error == RetrievalError.StoreFailure)
        {
            throw new IOException($"similar-study library: {e.Message}", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Similar-study library of {Model} {Version}: {Count} entries, {Mode} search, loaded from {Origin}")]
    private partial void LogOpened(string model, string version, long count, string mode, string origin);

    [LoggerMessage(Level = LogLevel.Information, Message = "Similar-study library of {Model} {Version}: {Count} entries, searched by pgvector in the shared database ({Copied} vectors copied at open)")]
    private partial void LogOpenedPgvector(string model, string version, long count, int copied);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The similar-study library has no entries of {Model} {Version}, but {Count} of {OtherModel} {OtherVersion}, which this model cannot search: re-embed them with `cxr-agent index rebuild --model PACKAGE --from {OtherModel}@{OtherVersion}`")]
    private partial void LogOtherModel(string model, string version, long count, string otherModel, string otherVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not told of other agents' library additions for now ({Error}: {Reason}); searches still catch up every few seconds")]
    private partial void LogListenerFailed(string error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No similar studies for {SopInstanceUid}: {Error}: {Reason}")]
    private partial void LogRetrievalFailed(string sopInstanceUid, RetrievalError error, string reason);
}
