using System.CommandLine;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Retrieval;

namespace CxrPacsAgent.Worker.Cli.Index;

/// <summary>
/// <c>index import --data DIR [--split NAME] [--source TEXT]</c>: embeds a labelled set through the same preprocessing
/// and model as the service and stores it as reference cases (label + source), replacing entries of the same image.
/// </summary>
internal static class IndexImportCommand
{
    private const int Chunk = 128;

    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "folder with labels.csv (path,label[,patient_id][,split]); DICOM, PNG or JPEG", Required = true };
        var split = new Option<string?>("--split") { Description = "only rows whose 'split' column has this value (e.g. train)" };
        var source = new Option<string?>("--source") { Description = "where the labels come from, stored with each (default: \"labels.csv of DIR\")" };
        var library = new LibraryLocation.Options();
        var model = IndexCliOptions.Model();
        var salt = IndexCliOptions.SaltFile();
        var command = new Command("import", "Embed a labelled set and store it as reference cases") { data, split, source, model, salt };
        library.AddTo(command);
        command.SetAction((r, cancellationToken) => IndexErrors.GuardAsync(() => RunAsync(r.GetValue(data)!, r.GetValue(split), r.GetValue(source),
            r.GetValue(model), library.Resolve(r), r.GetValue(salt), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo data, string? split, string? source, DirectoryInfo? modelFolder, LibraryLocation library,
        FileInfo? saltFile, CancellationToken cancellationToken)
    {
        var set = LabelledSet.Read(data, split);
        var hasher = library.Hasher(saltFile);
        await using var session = await LibrarySession.OpenAsync(modelFolder, library, cancellationToken).ConfigureAwait(false);
        var (embedder, index) = (session.Embedder, session.Index);
        var labelSource = source ?? $"labels.csv of {set.Name}";
        var (imported, replaced, skipped) = (0, 0, new List<string>());
        ConsoleProgress.Run("import", set.Rows.Count, progress =>
        {
            foreach (var chunk in set.Rows.Chunk(Chunk))
            {
                var results = ParallelRows.Map(chunk, row =>
                {
                    try
                    {
                        var (image, identity) = set.Load(row, hasher);
                        var reference = string.IsNullOrWhiteSpace(row.Label) ? null : new ReferenceLabel(row.Label, labelSource);
                        return (Entry: embedder.Entry(image, identity, reference), Skip: (string?)null);
                    }
                    catch (Exception e) when (e is ImageException or IOException or InvalidDataException)
                    {
                        return (Entry: (LibraryEntry?)null, Skip: $"{row.RelativePath}: {e.Message}");
                    }
                }, new ChunkProgress(progress, imported + skipped.Count));
                skipped.AddRange(results.Where(r => r.Skip is not null).Select(r => r.Skip!));
                var entries = results.Where(r => r.Entry is not null).Select(r => r.Entry!).ToList();
                // One transaction per chunk: a failure loses at most this chunk, and a rerun replaces what was stored.
                var changes = index.AddRangeAsync(entries, cancellationToken).GetAwaiter().GetResult();
                imported += changes.Count;
                replaced += changes.Count(c => c.Replaced);
            }
            return 0;
        });
        foreach (var skip in skipped)
        {
            Console.Error.WriteLine($"skipped {skip}");
        }
        Console.WriteLine($"imported {imported} images of {set.Description} into the {embedder.Identity} library ({replaced} replaced, {skipped.Count} skipped); it holds {index.Count} entries");
        return imported == 0 ? CliErrors.InvalidInput : 0;
    }
}
