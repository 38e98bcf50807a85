using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Retrieval;
using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Storage;
using CxrPacsAgent.Worker.Retrieval;

namespace CxrPacsAgent.Worker.Cli.Index;

/// <summary>
/// <c>index rebuild</c>: derives every model's index again from its rows and saves a fresh snapshot.
/// <c>index rebuild --model PKG [--from NAME@VERSION]</c>: re-embeds the library under a new model from the stored
/// copies, without the original images; reference labels, UIDs and thumbnails carry over.
/// </summary>
internal static class IndexRebuildCommand
{
    private const int Chunk = 128;

    public static Command Create()
    {
        var from = new Option<string?>("--from") { Description = "re-embed only this model's entries, as NAME@VERSION (default: every other model's, newest winning)" };
        var library = new LibraryLocation.Options();
        var model = IndexCliOptions.Model();
        model.Description = "re-embed the library under this model package (without it: rebuild each model's index from its rows)";
        var command = new Command("rebuild", "Rebuild the indexes from the rows, or re-embed the library under a new model") { model, from };
        library.AddTo(command);
        command.SetAction((r, cancellationToken) => IndexErrors.GuardAsync(() => r.GetValue(model) is { } package
            ? ReembedAsync(package, r.GetValue(from), library.Resolve(r), cancellationToken)
            : RebuildAsync(library.Resolve(r), cancellationToken)));
        return command;
    }

    private static async Task<int> RebuildAsync(LibraryLocation library, CancellationToken cancellationToken)
    {
        using var store = await library.OpenAsync(cancellationToken).ConfigureAwait(false);
        var models = await store.SummarizeAsync(cancellationToken).ConfigureAwait(false);
        if (models.Count == 0)
        {
            Console.Error.WriteLine($"error: {library.Description} holds no library");
            return IndexErrors.CannotDo;
        }
        foreach (var summary in models)
        {
            var clock = Stopwatch.StartNew();
            await using var index = await EmbeddingIndex.OpenAsync(store, summary.Model.Identity, summary.Model.Dimensions, cancellationToken: cancellationToken).ConfigureAwait(false);
            await index.RebuildAsync(cancellationToken).ConfigureAwait(false);
            var stats = index.Statistics();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{summary.Model.Identity}: {stats.Count} entries, {stats.Mode} index rebuilt from the rows in {clock.Elapsed.TotalSeconds:F1} s{(stats.LastSnapshotError is { } e ? $" (snapshot not saved: {e})" : "")}"));
        }
        return 0;
    }

    private static async Task<int> ReembedAsync(DirectoryInfo package, string? from, LibraryLocation library, CancellationToken cancellationToken)
    {
        await using var session = await LibrarySession.OpenAsync(package, library, cancellationToken).ConfigureAwait(false);
        var (embedder, store, index) = (session.Embedder, session.Store, session.Index);
        var sources = (await store.SummarizeAsync(cancellationToken).ConfigureAwait(false))
            .Where(s => s.Model.Identity != embedder.Identity && (from is null || $"{s.Model.Identity.Name}@{s.Model.Identity.Version}" == from))
            .OrderBy(s => s.Model.Id) // oldest first: an image in several libraries ends with the newest one's labels
            .ToList();
        if (sources.Sum(s => s.Entries) == 0)
        {
            Console.Error.WriteLine($"error: no entries of {from ?? "another model"} to re-embed under {embedder.Identity}");
            return IndexErrors.CannotDo;
        }
        var (done, stored, skipped) = (0, 0, new List<string>());
        ConsoleProgress.Run("re-embed", (int)sources.Sum(s => s.Entries), progress =>
        {
            foreach (var source in sources)
            {
                foreach (var chunk in store.ReadEntriesAsync(source.Model, cancellationToken).ToBlockingEnumerable(cancellationToken).Chunk(Chunk))
                {
                    var results = ParallelRows.Map(chunk, old => Reembed(embedder, old), new ChunkProgress(progress, done));
                    done += chunk.Length;
                    skipped.AddRange(results.Where(r => r.Skip is not null).Select(r => r.Skip!));
                    var entries = results.Where(r => r.Entry is not null).Select(r => r.Entry!).ToList();
                    stored += index.AddRangeAsync(entries, cancellationToken).GetAwaiter().GetResult().Count;
                }
            }
            return 0;
        });
        foreach (var skip in skipped)
        {
            Console.Error.WriteLine($"skipped {skip}");
        }
        Console.WriteLine($"re-embedded {stored} entries of {string.Join(", ", sources.Select(s => s.Model.Identity))} under {embedder.Identity} ({skipped.Count} skipped); its library holds {index.Count} entries");
        return stored == 0 ? IndexErrors.CannotDo : 0;
    }

    private static (LibraryEntry? Entry, string? Skip) Reembed(LibraryEmbedder embedder, StoredEntry old)
    {
        var record = old.Record;
        if (old.ReembeddingImage is null)
        {
            return (null, $"{record.SopInstanceUid} ({record.Model}): no stored copy to re-embed");
        }
        try
        {
            var prediction = embedder.Predict(GreyPng.Decode(old.ReembeddingImage));
            var identity = new ImageIdentity(record.SopInstanceUid, record.SeriesInstanceUid, record.StudyInstanceUid, record.AccessionNumber,
                record.PatientKey, record.AcquiredAt, record.ViewPosition) { SopClassUid = record.SopClassUid };
            return (embedder.Entry(prediction, identity, record.Reference, old.ReembeddingImage, old.Thumbnail), null);
        }
        catch (ImageException e)
        {
            return (null, $"{record.SopInstanceUid} ({record.Model}): {e.Message}");
        }
    }
}
