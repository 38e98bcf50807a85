using System.Globalization;
using System.Text.Json.Nodes;

namespace CxrPacsAgent.Evaluation.Scoring;

/// <summary>What a refit was fitted on, as model.json records it: the data, the split, the counts, the date and the command.</summary>
public static class FitRecord
{
    public static JsonObject Create(string data, string? split, int n, string command, params (string Key, JsonNode? Value)[] extra)
    {
        var record = new JsonObject
        {
            ["data"] = data,
            ["split"] = split ?? "(all rows)",
            ["n"] = n,
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["command"] = command,
        };
        foreach (var (key, value) in extra)
        {
            record[key] = value;
        }
        return record;
    }

    /// <summary>
    /// The SHA-256 of each graph the fit ran through, in chain order: the runtime refuses a calibration or OOD
    /// statistics fitted on other graphs (a retrained head must be recalibrated).
    /// </summary>
    public static JsonArray Graphs(Inference.Packages.ModelPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return new JsonArray([.. package.GraphPaths.Select(p => (JsonNode)Inference.Packages.PackageIntegrity.Sha256(p))]);
    }

    /// <summary>JSON has no NaN: an undefined number is null; the rest are rounded to 6 decimals.</summary>
    public static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 6)) : null;
}
