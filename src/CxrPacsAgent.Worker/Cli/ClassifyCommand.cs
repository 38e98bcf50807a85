using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Filtering;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Worker.Results;
using Microsoft.Extensions.Logging;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent classify FILE|DIR [--model PKG]... [--json] [--cuda] [--no-view-filter] [--out DIR ...]</c>: scores each
/// image; several --model make an ensemble (mean score, majority vote). Files that cannot be scored are listed with the
/// reason. With --out, each DICOM file's SR and SC are written there too (<see cref="ClassifyResults"/>). Exit code 0
/// when at least one image was scored; 3 when none was (all skipped or unreadable), 2 when the path holds no candidate file.
/// </summary>
internal static class ClassifyCommand
{
    private static readonly JsonSerializerOptions JsonLines = new(ModelManifest.JsonOptions)
    {
        WriteIndented = false,
        // Output is read by people and scripts, not embedded in HTML: keep quotes and accents readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var input = new Argument<string>("path") { Description = "DICOM or PNG/JPEG file, or a folder of them" };
        var models = new Option<DirectoryInfo[]>("--model") { Description = "model package folder; repeat for an ensemble (default: the shipped package)" };
        var json = new Option<bool>("--json") { Description = "one JSON object per file on standard output" };
        var cuda = new Option<bool>("--cuda") { Description = "use the CUDA execution provider (falls back to CPU with a warning)" };
        var noFilter = new Option<bool>("--no-view-filter")
        {
            Description = "score every image, even one the view filter would skip (research: measuring the out-of-distribution flag on non-chest images; never for clinical use)",
        };
        var output = ResultCliOptions.Create();
        var command = new Command("classify", "Score chest X-rays with a model package") { input, models, json, cuda, noFilter };
        output.AddTo(command);
        command.SetAction(r => CliErrors.Guard(() => PackageErrors.Guard(() =>
            Run(r.GetValue(input)!, r.GetValue(models) ?? [], r.GetValue(json), r.GetValue(cuda), !r.GetValue(noFilter), output.Read(r)))));
        return command;
    }

    private static int Run(string path, DirectoryInfo[] modelDirs, bool json, bool cuda, bool viewFilter, (string Folder, ResultOptions Options)? output)
    {
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path).Where(RadiographLoader.IsCandidate).Order(StringComparer.Ordinal).ToArray()
            : File.Exists(path) ? [path] : throw new FileNotFoundException($"{path} does not exist");
        if (files.Length == 0)
        {
            Console.Error.WriteLine($"error: {path} holds no DICOM, PNG or JPEG file");
            return CliErrors.InvalidInput;
        }
        var options = new InferenceOptions { Device = cuda ? ExecutionDevice.Cuda : ExecutionDevice.Cpu };
        var folders = modelDirs.Length == 0 ? [DefaultModel.Folder] : modelDirs.Select(d => d.FullName).ToArray();
        using var ensemble = new ModelEnsemble([.. folders.Select(f => CxrModel.Load(f, options, StderrLogger.Instance))]);
        var manifest = ensemble.Members[0].Manifest;
        var builder = new ModelInputBuilder(manifest, ensemble.Members[0].LungSegmenter);
        var modelName = string.Join(" + ", ensemble.Members.Select(m => m.Package.DisplayName));
        var results = output is { } o ? new ClassifyResults(o.Folder, o.Options, ensemble) : null;
        var scored = 0;
        foreach (var file in files)
        {
            var record = new ClassifyRecord(file, modelName, manifest.Task, manifest.Threshold);
            try
            {
                var (image, view) = viewFilter
                    ? RadiographLoader.LoadForClassification(file)
                    : (RadiographLoader.Load(file), ViewDecision.Accept("view filter off (--no-view-filter)"));
                if (image is null)
                {
                    // Not a frontal chest radiograph: reported, not scored.
                    record = record with { Skipped = $"{view.Reason}: {view.Message}" };
                }
                else
                {
                    var preprocessed = builder.Preprocess(image);
                    var prediction = ensemble.Predict(preprocessed.Tensor);
                    record = Scored(record, prediction, manifest);
                    if (results is not null)
                    {
                        var (written, skipped) = results.Write(file, preprocessed, prediction);
                        record = record with { Outputs = written, OutputsSkipped = skipped };
                    }
                }
            }
            catch (ImageException e)
            {
                record = record with { Skipped = $"{e.Error}: {e.Message}" };
            }
            scored += record.Skipped is null ? 1 : 0;
            Console.WriteLine(json ? JsonSerializer.Serialize(record, JsonLines) : Text(record));
        }
        if (scored == 0)
        {
            Console.Error.WriteLine($"error: none of the {files.Length} file(s) was scored");
            return CliErrors.NothingScored;
        }
        return 0;
    }

    private static ClassifyRecord Scored(ClassifyRecord record, EnsemblePrediction p, ModelManifest manifest)
    {
        var ood = p.Members.Select(m => m.Ood).Where(o => o is not null).ToArray();
        return record with
        {
            Score = p.MeanScore,
            RawScore = p.Members.Average(m => m.RawScore),
            Calibrated = manifest.Calibration is not null,
            Label = p.Label,
            Call = p.Call is { } c ? (c ? manifest.PositiveLabel : manifest.NegativeLabel) : null,
            OutOfDistribution = ood.Length == 0 ? null : p.OutOfDistribution,
            OodDistance = ood.Length == 0 ? null : ood.Max(o => o!.Distance),
            OodThreshold = ood.Length == 0 ? null : ood[0]!.Threshold,
            EmbeddingNorm = p.Members.Average(m => m.EmbeddingNorm),
            PositiveVotes = p.PositiveVotes,
            Models = p.Members.Count,
        };
    }

    private static string Text(ClassifyRecord r) => r.Skipped is not null
        ? $"{r.File}: skipped ({r.Skipped})"
        : string.Create(CultureInfo.InvariantCulture,
            $"{r.File}: {r.Call ?? "no call (out of distribution)"} score {r.Score:F4} (threshold {r.Threshold:F2}{(r.OutOfDistribution is null ? "" : $", OOD distance {r.OodDistance:F3} of {r.OodThreshold:F3}")}, {r.Model}, embedding norm {r.EmbeddingNorm:F3})")
            + (r.Outputs is { Count: > 0 } written ? $"\n  wrote {string.Join(", ", written)}" : "")
            + (r.OutputsSkipped is { } why ? $"\n  no SR/SC: {why}" : "");

    /// <summary>Warnings (CUDA fallback) to standard error, so --json output stays parseable.</summary>
    private sealed class StderrLogger : ILogger
    {
        public static readonly StderrLogger Instance = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Console.Error.WriteLine($"{logLevel.ToString().ToLowerInvariant()}: {formatter(state, exception)}");
            }
        }
    }

    /// <summary>
    /// One line of output. <c>score</c> is the package's score (its calibrated probability when <c>calibrated</c>),
    /// <c>raw_score</c> the graph's output, <c>label</c> the side of the threshold, <c>call</c> the same unless the image is
    /// out of distribution (then null).
    /// </summary>
    private sealed record ClassifyRecord(string File, string Model, string Task, double Threshold)
    {
        public float? Score { get; init; }
        public float? RawScore { get; init; }
        public bool? Calibrated { get; init; }
        public string? Label { get; init; }
        public string? Call { get; init; }
        public bool? OutOfDistribution { get; init; }
        public double? OodDistance { get; init; }
        public double? OodThreshold { get; init; }
        public double? EmbeddingNorm { get; init; }
        public string? Skipped { get; init; }
        public int? PositiveVotes { get; init; }
        public int? Models { get; init; }

        /// <summary>SR/SC files written by --out.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public IReadOnlyList<string>? Outputs { get; init; }

        /// <summary>Why --out wrote nothing for a scored file.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? OutputsSkipped { get; init; }
    }
}
