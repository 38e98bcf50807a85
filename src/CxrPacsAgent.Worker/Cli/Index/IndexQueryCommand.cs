using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Opinion;
using CxrPacsAgent.Worker.Retrieval;

namespace CxrPacsAgent.Worker.Cli.Index;

/// <summary>
/// <c>index query FILE [--k N] [--exclude-patient] [--json]</c>: the k most similar library images to a radiograph and
/// the k-NN second opinion. A DICOM query never finds its own study.
/// </summary>
internal static class IndexQueryCommand
{
    private static readonly JsonSerializerOptions Json = new(ModelManifest.JsonOptions)
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "DICOM file (PNG/JPEG for research use)" };
        var k = new Option<int>("--k") { Description = "neighbours (default 4, the paper's k)", DefaultValueFactory = _ => 4 };
        var excludePatient = new Option<bool>("--exclude-patient") { Description = "leave out the patient's other studies too (DICOM)" };
        var json = new Option<bool>("--json") { Description = "one JSON object on standard output" };
        var library = new LibraryLocation.Options();
        var model = IndexCliOptions.Model();
        var salt = IndexCliOptions.SaltFile();
        var command = new Command("query", "Find the most similar library images and the k-NN opinion") { file, k, excludePatient, json, model, salt };
        library.AddTo(command);
        command.SetAction((r, cancellationToken) => IndexErrors.GuardAsync(() => RunAsync(r.GetValue(file)!, r.GetValue(k), r.GetValue(excludePatient),
            r.GetValue(json), r.GetValue(model), library.Resolve(r), r.GetValue(salt), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo file, int k, bool excludePatient, bool json, DirectoryInfo? modelFolder, LibraryLocation library,
        FileInfo? saltFile, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new FileNotFoundException($"{file.FullName} does not exist");
        }
        if (k is < 1 or > EmbeddingIndex.MaxK)
        {
            Console.Error.WriteLine($"error: --k must be between 1 and {EmbeddingIndex.MaxK}");
            return CliErrors.InvalidInput;
        }
        // DICOM goes through the frontal-chest filter as the service's would; a research picture is taken as labelled
        // (as import and evaluate take it: the image heuristic misjudges some pediatric films).
        var picture = Radiograph.IsPicture(file.FullName);
        var (image, view) = picture ? (RadiographLoader.Load(file.FullName), null) : RadiographLoader.LoadForClassification(file.FullName);
        if (image is null)
        {
            Console.Error.WriteLine($"{file.Name}: skipped ({view!.Reason}: {view.Message})");
            return IndexErrors.CannotDo;
        }
        // A DICOM query leaves out its own study (it may be in the library already) and, if asked, its patient.
        var identity = picture ? null
            : ImageIdentity.FromDataset(Radiograph.OpenDicom(file.FullName).Dataset, library.Hasher(saltFile));
        await using var session = await LibrarySession.OpenAsync(modelFolder, library, cancellationToken).ConfigureAwait(false);
        var (embedder, index) = (session.Embedder, session.Index);
        var prediction = embedder.Predict(image);
        var opinion = await index.SecondOpinionAsync(new SimilarityQuery(embedder.Identity, prediction.Embedding)
        {
            K = k,
            ExcludeStudyInstanceUid = identity?.StudyInstanceUid,
            ExcludePatientKey = excludePatient ? identity?.PatientKey : null,
        }, cancellationToken).ConfigureAwait(false);
        Console.WriteLine(json
            ? JsonSerializer.Serialize(Record(file.FullName, embedder, prediction.Score, opinion, index.Count), Json)
            : Text(file.Name, embedder, prediction.Score, opinion, index.Count));
        return 0;
    }

    private static string Text(string file, LibraryEmbedder embedder, float score, KnnOpinion opinion, long librarySize)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{file}: score {score:F4} ({embedder.Identity}); library of {librarySize}: ") + Opinion(opinion),
        };
        lines.AddRange(opinion.Neighbours.Select((n, i) => string.Create(CultureInfo.InvariantCulture,
            $"  {i + 1}. similarity {n.Similarity:F4}  {n.Label ?? "(no label)"} ({LabelSource(n)})  score {n.Entry.Score:F4}  study {n.Entry.StudyInstanceUid}  image {n.Entry.SopInstanceUid}")));
        return string.Join(Environment.NewLine, lines);
    }

    internal static string Opinion(KnnOpinion opinion) => opinion.Label is null
        ? "no labelled neighbours"
        : string.Create(CultureInfo.InvariantCulture,
            $"{opinion.K}-NN opinion {opinion.Label} ({opinion.Votes} of {opinion.Neighbours.Count}{(opinion.TieBrokenByNearest ? ", tie broken by the nearest" : "")}), mean score {opinion.MeanScore:F4}");

    private static string LabelSource(SimilarStudy n) => n.LabelOrigin switch
    {
        LabelOrigin.Reference => $"reference: {n.Entry.Reference!.Source}",
        LabelOrigin.Model => "model's call",
        _ => "none",
    };

    private static QueryRecord Record(string file, LibraryEmbedder embedder, float score, KnnOpinion opinion, long librarySize) => new(
        file, embedder.Identity.ToString(), score, librarySize, opinion.K, opinion.Label, opinion.Votes, opinion.Labelled, opinion.MeanScore,
        opinion.TieBrokenByNearest,
        [.. opinion.Neighbours.Select(n => new NeighbourRecord(n.Entry.SopInstanceUid, n.Entry.SeriesInstanceUid, n.Entry.StudyInstanceUid,
            n.Similarity, n.Entry.Score, n.Label, n.LabelOrigin.ToString().ToLowerInvariant(), n.Entry.Reference?.Source))]);

    private sealed record QueryRecord(string File, string Model, float Score, long LibrarySize, int K, string? Label, int Votes, int Labelled,
        double? MeanScore, bool TieBrokenByNearest, IReadOnlyList<NeighbourRecord> Neighbours);

    private sealed record NeighbourRecord(string SopInstanceUid, string SeriesInstanceUid, string StudyInstanceUid, float Similarity, float Score,
        string? Label, string LabelOrigin, string? LabelSource);
}
