using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CxrPacsAgent.Evaluation.Drift;
using CxrPacsAgent.Evaluation.Figures;
using CxrPacsAgent.Inference.Monitoring;
using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>cxr-agent drift --model PKG --results DIR|FILE [--out DIR]</c>: compares recent results (score distribution, OOD
/// rate, skip rate) with the package's reference; exit code 0 stable (or too few results to judge), 1 moved.
/// </summary>
internal static class DriftCommand
{
    public const int Moved = 1;

    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "model package folder (default: the shipped package)" };
        var results = new Option<string>("--results") { Description = "folder of JSON results (classify --json lines, the service's result files) or an evaluation's scores.csv", Required = true };
        var output = new Option<DirectoryInfo?>("--out") { Description = "folder for drift.json and drift.png" };
        var command = new Command("drift", "Compare recent results with the package's reference") { model, results, output };
        command.SetAction(r => CliErrors.Guard(() => PackageErrors.Guard(() =>
            Run(r.GetValue(model)?.FullName ?? DefaultModel.Folder, r.GetValue(results)!, r.GetValue(output)))));
        return command;
    }

    private static int Run(string modelDir, string results, DirectoryInfo? output)
    {
        var package = ModelPackage.Load(modelDir);
        if (package.Manifest.Reference is not { } reference)
        {
            Console.Error.WriteLine($"error: model package '{package.DisplayName}' has no drift reference: `cxr-agent calibrate` writes one");
            return PackageErrors.InvalidPackage;
        }
        var source = new ResultFiles(results);
        var observations = source.Read();
        var report = DriftAnalysis.Compare(reference, observations);
        var verdict = report.TooFewResults ? "too few results to judge" : report.Moved ? "MOVED" : "stable";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{package.DisplayName} on {report.Results} results from {results} ({report.Scored} scored{(source.Unrecognised > 0 ? $", {source.Unrecognised} unrecognised objects ignored" : "")}), reference {reference.Data}: {verdict}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"score distribution PSI {report.Psi:F4}"));
        foreach (var rate in new[] { report.SkipRate, report.OodRate })
        {
            if (rate is not null)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{rate.Name} {rate.Recent:P2} ({rate.Count}) vs reference {rate.Reference:P2}: z {rate.Z:F2}{(rate.Moved ? " (moved)" : "")}"));
            }
        }
        foreach (var reason in report.Reasons)
        {
            Console.WriteLine($"moved: {reason}");
        }
        if (output is not null)
        {
            Directory.CreateDirectory(output.FullName);
            File.WriteAllText(Path.Combine(output.FullName, "drift.json"), Json(report, package, results).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            DriftPlot.Save(report, package.DisplayName, results, Path.Combine(output.FullName, "drift.png"));
            Console.WriteLine($"wrote {output.FullName}");
        }
        return report.Moved ? Moved : 0;
    }

    private static JsonObject Json(DriftReport r, ModelPackage package, string results) => new()
    {
        ["model"] = package.DisplayName,
        ["results"] = results,
        ["reference"] = package.Manifest.Reference!.Data,
        ["n"] = r.Results,
        ["scored"] = r.Scored,
        ["psi"] = Math.Round(r.Psi, 6),
        ["reference_bins"] = new JsonArray([.. r.ReferenceBins.Select(v => (JsonNode)Math.Round(v, 6))]),
        ["recent_bins"] = new JsonArray([.. r.RecentBins.Select(v => (JsonNode)Math.Round(v, 6))]),
        ["skip_rate"] = Rate(r.SkipRate),
        ["ood_rate"] = r.OodRate is null ? null : Rate(r.OodRate),
        ["too_few_results"] = r.TooFewResults,
        ["moved"] = r.Moved,
        ["reasons"] = new JsonArray([.. r.Reasons.Select(x => (JsonNode)x)]),
    };

    private static JsonObject Rate(RateChange c) => new()
    {
        ["reference"] = Math.Round(c.Reference, 6), ["recent"] = Math.Round(c.Recent, 6), ["count"] = c.Count, ["z"] = Math.Round(c.Z, 3), ["moved"] = c.Moved,
    };
}
