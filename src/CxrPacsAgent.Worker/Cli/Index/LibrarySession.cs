using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Storage;
using CxrPacsAgent.Worker.Retrieval;

namespace CxrPacsAgent.Worker.Cli.Index;

/// <summary>A model package and its library (SQLite or PostgreSQL), opened together for a verb that embeds images.</summary>
internal sealed class LibrarySession : IAsyncDisposable
{
    private LibrarySession(CxrModel model, IEmbeddingStore store)
    {
        Model = model;
        Embedder = new LibraryEmbedder(model);
        Store = store;
    }

    public CxrModel Model { get; }

    public LibraryEmbedder Embedder { get; }

    public IEmbeddingStore Store { get; }

    public EmbeddingIndex Index { get; private set; } = null!;

    public static async Task<LibrarySession> OpenAsync(DirectoryInfo? modelFolder, LibraryLocation library, CancellationToken cancellationToken)
    {
        var model = IndexCliOptions.LoadModel(modelFolder);
        LibrarySession session;
        try
        {
            session = new LibrarySession(model, await library.OpenAsync(cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            model.Dispose();
            throw;
        }
        try
        {
            session.Index = await EmbeddingIndex.OpenAsync(session.Store, session.Embedder.Identity, session.Embedder.Dimensions,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Index is not null)
        {
            await Index.DisposeAsync().ConfigureAwait(false);
        }
        Store.Dispose();
        Model.Dispose();
    }
}
