using System.Globalization;
using System.Text.Json;
using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Inference.Monitoring;

namespace CxrPacsAgent.Evaluation.Drift;

/// <summary>
/// Recent results from files, for the <c>drift</c> verb: a folder (searched recursively) of JSON result files — one
/// object per file, or JSON lines as <c>classify --json</c> prints them — or an evaluation's <c>scores.csv</c> (with its
/// <c>skipped.csv</c> beside it). A JSON result counts as skipped when its <c>skipped</c> field is a non-empty string
/// or true; otherwise its <c>probability</c> (or <c>score</c>) and <c>out_of_distribution</c> are read. Objects with
/// neither are counted in <see cref="Unrecognised"/> and otherwise ignored.
/// </summary>
public sealed class ResultFiles(string path) : IResultObservationSource
{
    public string Description => path;

    /// <summary>JSON objects that held no result (after <see cref="Read"/>).</summary>
    public int Unrecognised { get; private set; }

    public IReadOnlyList<ResultObservation> Read()
    {
        Unrecognised = 0;
        if (File.Exists(path) && path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return ScoresCsv(path);
        }
        if (Directory.Exists(path))
        {
            var csv = Path.Combine(path, "scores.csv");
            if (File.Exists(csv))
            {
                return ScoresCsv(csv);
            }
            return [.. Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).SelectMany(JsonFile)];
        }
        if (File.Exists(path))
        {
            return JsonFile(path);
        }
        throw new FileNotFoundException($"{path} is neither a results folder nor a scores.csv or JSON results file");
    }

    private List<ResultObservation> JsonFile(string file)
    {
        var text = File.ReadAllText(file).Trim();
        // One document per file (possibly indented), or one per line.
        IEnumerable<string> documents = IsOneDocument(text) ? [text] : text.Split('\n');
        var result = new List<ResultObservation>();
        foreach (var document in documents.Select(d => d.Trim()).Where(d => d.Length > 0))
        {
            using var json = Parse(document, file);
            if (Observation(json.RootElement) is { } o)
            {
                result.Add(o);
            }
            else
            {
                Unrecognised++;
            }
        }
        return result;
    }

    private static bool IsOneDocument(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static JsonDocument Parse(string document, string file)
    {
        try
        {
            return JsonDocument.Parse(document);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: not JSON ({e.Message})", e);
        }
    }

    private static ResultObservation? Observation(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (e.TryGetProperty("skipped", out var skipped)
            && (skipped.ValueKind == JsonValueKind.True || (skipped.ValueKind == JsonValueKind.String && skipped.GetString()!.Length > 0)))
        {
            return ResultObservation.SkippedInstance;
        }
        var score = e.TryGetProperty("probability", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble()
            : e.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : (double?)null;
        if (score is null)
        {
            return null;
        }
        var ood = e.TryGetProperty("out_of_distribution", out var o) && o.ValueKind == JsonValueKind.True;
        return ResultObservation.Scored(score.Value, ood);
    }

    private static List<ResultObservation> ScoresCsv(string csv)
    {
        var lines = File.ReadAllLines(csv);
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"{csv} is empty");
        }
        var header = lines[0].Split(',');
        int probability = Array.IndexOf(header, "probability"), ood = Array.IndexOf(header, "out_of_distribution");
        if (probability < 0)
        {
            throw new InvalidDataException($"{csv}: the header needs a 'probability' column (found: {lines[0]})");
        }
        var result = new List<ResultObservation>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var fields = CsvLine.Split(line);
            result.Add(ResultObservation.Scored(double.Parse(fields[probability], CultureInfo.InvariantCulture),
                ood >= 0 && fields[ood] == "true"));
        }
        var skipped = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(csv))!, "skipped.csv");
        if (File.Exists(skipped))
        {
            result.AddRange(File.ReadLines(skipped).Skip(1).Where(l => l.Length > 0).Select(_ => ResultObservation.SkippedInstance));
        }
        return result;
    }
}
