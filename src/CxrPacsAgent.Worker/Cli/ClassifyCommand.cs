using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Packages;
using CxrPacsAgent.Inference.Runtime;
using Microsoft.Extensions.Logging;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent classify FILE|DIR [--model PKG]... [--json] [--cuda]</c>: scores each image; several --model make an ensemble
/// (mean score, majority vote). Files that cannot be scored are listed with the reason.
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
        var command = new Command("classify", "Score chest X-rays with a model package") { input, models, json, cuda };
        command.SetAction(r => CliErrors.Guard(() => PackageErrors.Guard(() =>
            Run(r.GetValue(input)!, r.GetValue(models) ?? [], r.GetValue(json), r.GetValue(cuda)))));
        return command;
    }

    private static int Run(string path, DirectoryInfo[] modelDirs, bool json, bool cuda)
    {
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path).Where(RadiographLoader.IsCandidate).Order(StringComparer.Ordinal).ToArray()
            : File.Exists(path) ? [path] : throw new FileNotFoundException($"{path} does not exist");
        var options = new InferenceOptions { Device = cuda ? ExecutionDevice.Cuda : ExecutionDevice.Cpu };
        var folders = modelDirs.Length == 0 ? [DefaultModel.Folder] : modelDirs.Select(d => d.FullName).ToArray();
        using var ensemble = new ModelEnsemble([.. folders.Select(f => CxrModel.Load(f, options, StderrLogger.Instance))]);
        var manifest = ensemble.Members[0].Manifest;
        var builder = new ModelInputBuilder(manifest, ensemble.Members[0].LungSegmenter);
        var modelName = string.Join(" + ", ensemble.Members.Select(m => m.Package.DisplayName));
        var failures = 0;
        foreach (var file in files)
        {
            ClassifyRecord record;
            try
            {
                var (image, view) = RadiographLoader.LoadForClassification(file);
                if (image is null)
                {
                    // Not a frontal chest radiograph: reported, not scored, and not a failure of the run.
                    record = new ClassifyRecord(file, null, null, manifest.Threshold, modelName, manifest.Task, null, $"{view.Reason}: {view.Message}", null, null);
                    Console.WriteLine(json ? JsonSerializer.Serialize(record, JsonLines) : Text(record));
                    continue;
                }
                var p = ensemble.Predict(builder.Build(image));
                var norm = p.Members.Average(m => m.EmbeddingNorm);
                record = new ClassifyRecord(file, p.MeanScore, p.Label, manifest.Threshold, modelName, manifest.Task, norm, null, p.PositiveVotes, p.Members.Count);
            }
            catch (ImageException e)
            {
                failures++;
                record = new ClassifyRecord(file, null, null, manifest.Threshold, modelName, manifest.Task, null, $"{e.Error}: {e.Message}", null, null);
            }
            Console.WriteLine(json ? JsonSerializer.Serialize(record, JsonLines) : Text(record));
        }
        return failures == files.Length && files.Length > 0 ? CliErrors.InvalidInput : 0;
    }

    private static string Text(ClassifyRecord r) => r.Skipped is not null
        ? $"{r.File}: skipped ({r.Skipped})"
        : string.Create(CultureInfo.InvariantCulture,
            $"{r.File}: {r.Label} score {r.Score:F4} (threshold {r.Threshold:F2}, {r.Model}, embedding norm {r.EmbeddingNorm:F3})");

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

    private sealed record ClassifyRecord(string File, float? Score, string? Label, double Threshold, string Model, string Task,
        double? EmbeddingNorm, string? Skipped, int? PositiveVotes, int? Models);
}
