using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Retrieval.Index;
using CxrPacsAgent.Retrieval.Opinion;
using CxrPacsAgent.Worker.Retrieval;

namespace CxrPacsAgent.Worker.Cli.Index;

/// <summary>
/// <c>index evaluate --data DIR --split val [--k 4]</c>: the paper's k-NN figure. Each labelled image is embedded and
/// voted on by its k nearest library entries (imported beforehand, e.g. the train split): accuracy of the vote against
/// the labels, with a Wilson 95 % interval, beside the model's own accuracy on the same images.
/// </summary>
internal static class IndexEvaluateCommand
{
    private static readonly JsonSerializerOptions Json = new(ModelManifest.JsonOptions) { WriteIndented = true };

    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "folder with labels.csv (path,label[,patient_id][,split])", Required = true };
        var split = new Option<string?>("--split") { Description = "only rows whose 'split' column has this value (e.g. val)" };
        var k = new Option<int>("--k") { Description = "neighbours that vote (default 4, the paper's k)", DefaultValueFactory = _ => 4 };
        var keepPatient = new Option<bool>("--keep-same-patient") { Description = "let a patient's other images vote (left out by default)" };
        var json = new Option<FileInfo?>("--json") { Description = "also write the figures to this JSON file" };
        var library = new LibraryLocation.Options();
        var model = IndexCliOptions.Model();
        var salt = IndexCliOptions.SaltFile();
        var command = new Command("evaluate", "k-NN vote accuracy of labelled images against the library") { data, split, k, keepPatient, json, model, salt };
        library.AddTo(command);
        command.SetAction((r, cancellationToken) => IndexErrors.GuardAsync(() => RunAsync(r.GetValue(data)!, r.GetValue(split), r.GetValue(k),
            r.GetValue(keepPatient), r.GetValue(json), r.GetValue(model), library.Resolve(r), r.GetValue(salt), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo data, string? split, int k, bool keepPatient, FileInfo? json, DirectoryInfo? modelFolder,
        LibraryLocation library, FileInfo? saltFile, CancellationToken cancellationToken)
    {
        if (k is < 1 or > EmbeddingIndex.MaxK)
        {
            Console.Error.WriteLine($"error: --k must be between 1 and {EmbeddingIndex.MaxK}");
            return CliErrors.InvalidInput;
        }
        var set = LabelledSet.Read(data, split);
        var hasher = library.Hasher(saltFile);
        await using var session = await LibrarySession.OpenAsync(modelFolder, library, cancellationToken).ConfigureAwait(false);
        var (model, embedder, index) = (session.Model, session.Embedder, session.Index);
        if (index.Count < k)
        {
            Console.Error.WriteLine($"error: the {embedder.Identity} library holds {index.Count} entries, fewer than k = {k}: import a reference set first");
            return IndexErrors.CannotDo;
        }
        var embedded = ConsoleProgress.Run("embed", set.Rows.Count, progress => ParallelRows.Map(set.Rows, row =>
        {
            try
            {
                var (image, identity) = set.Load(row, hasher);
                return (Row: row, Identity: (ImageIdentity?)identity, Prediction: (Inference.Runtime.Prediction?)embedder.Predict(image), Skip: (string?)null);
            }
            catch (Exception e) when (e is ImageException or IOException or InvalidDataException)
            {
                return (Row: row, Identity: (ImageIdentity?)null, Prediction: (Inference.Runtime.Prediction?)null, Skip: (string?)$"{row.RelativePath}: {e.Message}");
            }
        }, progress));
        var tally = new Tally();
        foreach (var item in embedded.Where(e => e.Prediction is not null))
        {
            var opinion = await index.SecondOpinionAsync(new SimilarityQuery(embedder.Identity, item.Prediction!.Embedding)
            {
                K = k,
                ExcludeStudyInstanceUid = item.Identity!.StudyInstanceUid,
                ExcludePatientKey = keepPatient ? null : item.Identity.PatientKey,
            }, cancellationToken).ConfigureAwait(false);
            var meanCall = opinion.MeanScore is { } mean ? (mean >= model.Manifest.Threshold ? model.Manifest.PositiveLabel : model.Manifest.NegativeLabel) : null;
            tally.Add(item.Row.Label, opinion.Label, opinion.TieBrokenByNearest, meanCall, item.Prediction.Label);
        }
        foreach (var skip in embedded.Where(e => e.Skip is not null))
        {
            Console.Error.WriteLine($"skipped {skip.Skip}");
        }
        var result = tally.Result(set.Description, embedder.Identity.ToString(), k, index.Count, !keepPatient);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.K}-NN vote on {result.Data} against the {result.Model} library of {result.LibrarySize}: n={result.N} accuracy={result.VoteAccuracy:F4} (95 % CI {result.VoteCi95[0]:F4}–{result.VoteCi95[1]:F4}), ties {result.Ties}, no opinion {result.NoOpinion}; mean-score accuracy={result.MeanScoreAccuracy:F4}; the model alone={result.ModelAccuracy:F4}"));
        if (json is not null)
        {
            await File.WriteAllTextAsync(json.FullName, JsonSerializer.Serialize(result, Json), cancellationToken).ConfigureAwait(false);
        }
        return result.N == 0 ? CliErrors.InvalidInput : 0;
    }

    /// <summary>Counts of right answers per rule over the images that could be scored.</summary>
    private sealed class Tally
    {
        private int n;
        private int vote;
        private int ties;
        private int noOpinion;
        private int meanScore;
        private int model;

        public void Add(string? truth, string? voted, bool tie, string? meanCall, string modelCall)
        {
            n++;
            vote += voted == truth ? 1 : 0;
            ties += tie ? 1 : 0;
            noOpinion += voted is null ? 1 : 0;
            meanScore += meanCall == truth ? 1 : 0;
            model += modelCall == truth ? 1 : 0;
        }

        public KnnEvaluation Result(string data, string modelName, int k, long librarySize, bool samePatientExcluded) => new(
            data, modelName, k, librarySize, samePatientExcluded, n, Rate(vote), Wilson(vote, n), ties, noOpinion, Rate(meanScore), Rate(model));

        private double Rate(int correct) => n == 0 ? double.NaN : (double)correct / n;
    }

    /// <summary>Wilson score interval, 95 %: sound near 0 and 1, unlike the normal approximation.</summary>
    internal static double[] Wilson(int successes, int n)
    {
        if (n == 0)
        {
            return [double.NaN, double.NaN];
        }
        const double z = 1.959963984540054;
        var p = (double)successes / n;
        var centre = (p + (z * z / (2 * n))) / (1 + (z * z / n));
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z * z / (4.0 * n * n))) / (1 + (z * z / n));
        return [centre - half, centre + half];
    }

    private sealed record KnnEvaluation(string Data, string Model, int K, long LibrarySize, bool SamePatientExcluded, int N, double VoteAccuracy,
        double[] VoteCi95, int Ties, int NoOpinion, double MeanScoreAccuracy, double ModelAccuracy);
}
