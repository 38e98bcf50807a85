using System.Text.RegularExpressions;
using CxrPacsAgent.Imaging.Preprocessing;

namespace CxrPacsAgent.Inference.Packages;

/// <summary>Checks of model.json that need no graph: schema, version, required fields, ranges, channel layout, normalisation, calibration, OOD.</summary>
internal static partial class ManifestValidator
{
    public static void Validate(ModelManifest m, string package, PackageOpenMode mode = PackageOpenMode.Run)
    {
        var schemaOk = m.SchemaVersion == ModelManifest.CurrentSchemaVersion || (mode == PackageOpenMode.Upgrade && m.SchemaVersion == 1);
        if (!schemaOk)
        {
            throw Fail(ModelPackageError.SchemaVersionUnsupported, package, "schema_version",
                $"{m.SchemaVersion} is not the schema this runtime reads ({ModelManifest.CurrentSchemaVersion})"
                + (m.SchemaVersion == 1 ? "; `cxr-agent calibrate` or `fit-ood` writes the package anew in the current schema" : ""));
        }
        Require(m.Name, "name", package);
        Require(m.Version, "version", package);
        if (!SemVer().IsMatch(m.Version))
        {
            throw Fail(ModelPackageError.VersionInvalid, package, "version", $"'{m.Version}' is not a semantic version (MAJOR.MINOR.PATCH, SemVer 2.0.0)");
        }
        Require(m.Task, "task", package);
        Require(m.PositiveLabel, "positive_label", package);
        Require(m.NegativeLabel, "negative_label", package);
        if (m.Finding is { } finding)
        {
            Require(finding.CodeValue, "finding.code_value", package);
            Require(finding.CodingSchemeDesignator, "finding.coding_scheme_designator", package);
            Require(finding.CodeMeaning, "finding.code_meaning", package);
        }
        Require(m.Outputs?.Score, "outputs.score", package);
        Require(m.Outputs?.Embedding, "outputs.embedding", package);
        if (m.Graphs is null || m.Graphs.Count == 0 || m.Graphs.Any(g => string.IsNullOrWhiteSpace(g.File)))
        {
            throw Fail(ModelPackageError.FieldMissing, package, "graphs", "graphs must list at least one ONNX file, each with a 'file'");
        }
        if (m.Graphs[^1].Output is not null || m.Graphs.Any(g => g.Output is { } o && string.IsNullOrWhiteSpace(o)))
        {
            throw Fail(ModelPackageError.FieldMissing, package, "graphs.output",
                "a graph's 'output' must name a tensor, and the last graph has none (its outputs are 'outputs.score' and 'outputs.embedding')");
        }
        if (!(m.Threshold >= 0 && m.Threshold <= 1))
        {
            throw Fail(ModelPackageError.ThresholdOutOfRange, package, "threshold", $"threshold {m.Threshold} is outside [0,1]");
        }
        ValidatePreprocessing(m, package, mode);
        var input = m.Input ?? throw Fail(ModelPackageError.FieldMissing, package, "input", "'input' is missing");
        if (input.Width <= 0 || input.Height <= 0)
        {
            throw Fail(ModelPackageError.FieldMissing, package, "input", $"input size {input.Width}x{input.Height} is not positive");
        }
        if (input.Channels is null || input.Channels.Count != 3 || !input.Channels.Contains(InputChannel.Image))
        {
            throw Fail(ModelPackageError.ChannelLayoutInvalid, package, "input.channels",
                "input.channels must name 3 channels (image, lung_map, zeros) and include 'image'");
        }
        var n = input.Normalization ?? throw Fail(ModelPackageError.NormalizationInvalid, package, "input.normalization", "input.normalization is missing");
        if (n.Mean is null || n.Std is null || n.Mean.Count != 3 || n.Std.Count != 3 || n.Std.Any(s => !(s > 0))
            || !(n.Scale > 0) || n.Mean.Any(double.IsNaN))
        {
            throw Fail(ModelPackageError.NormalizationInvalid, package, "input.normalization",
                "input.normalization needs scale > 0 and 3 means and 3 standard deviations > 0");
        }
        ValidateCalibration(m.Calibration, package);
        ValidateOod(m, package);
        if (mode == PackageOpenMode.Run)
        {
            FittedOnTheseGraphs(m, m.Calibration?.FittedOn, ModelPackageError.CalibrationInvalid, "calibration.fitted_on.graphs", package);
            FittedOnTheseGraphs(m, m.Ood?.FittedOn, ModelPackageError.OodInvalid, "ood.fitted_on.graphs", package);
        }
    }

    /// <summary>A calibration or OOD fit records the graphs it ran through; on other graphs (a retrained head) it is wrong.</summary>
    private static void FittedOnTheseGraphs(ModelManifest m, System.Text.Json.Nodes.JsonObject? fittedOn, ModelPackageError error, string field, string package)
    {
        if (fittedOn?["graphs"] is not System.Text.Json.Nodes.JsonArray recorded)
        {
            return;
        }
        var fitted = recorded.Select(n => n?.GetValue<string>() ?? "").ToArray();
        var current = m.Graphs.Select(g => g.Sha256 ?? "").ToArray();
        if (!fitted.SequenceEqual(current, StringComparer.OrdinalIgnoreCase))
        {
            throw Fail(error, package, field,
                "was fitted on other graphs than the package now holds (a retrained or replaced graph): run `cxr-agent fit-ood` and `calibrate` again");
        }
    }

    private static void ValidatePreprocessing(ModelManifest m, string package, PackageOpenMode mode)
    {
        // Before versions existed (schema 1) the preprocessing was version 1 by definition.
        var version = m.Preprocessing?.Version ?? (mode == PackageOpenMode.Upgrade && m.SchemaVersion == 1 ? 1 : 0);
        if (version == 0)
        {
            throw Fail(ModelPackageError.FieldMissing, package, "preprocessing.version", "the preprocessing version the package was trained on is missing");
        }
        if (version != CxrPreprocessor.Version)
        {
            throw Fail(ModelPackageError.PreprocessingMismatch, package, "preprocessing.version",
                $"the package was trained on preprocessing version {version}, this runtime's is {CxrPreprocessor.Version}: "
                + "its scores would be wrong; retrain it on tensors exported by this version (docs/training.md)");
        }
    }

    private static void ValidateCalibration(CalibrationSpec? c, string package)
    {
        if (c is null)
        {
            return;
        }
        if (c.Method != "platt")
        {
            throw Fail(ModelPackageError.CalibrationInvalid, package, "calibration.method", $"'{c.Method}' is not a known method (platt)");
        }
        // The slope must be positive: calibration may not reorder the scores (nor flip the call).
        if (!(c.Slope > 0) || !double.IsFinite(c.Slope) || !double.IsFinite(c.Intercept))
        {
            throw Fail(ModelPackageError.CalibrationInvalid, package, "calibration.slope",
                $"Platt scaling needs a finite slope > 0 and a finite intercept (slope {c.Slope}, intercept {c.Intercept})");
        }
    }

    private static void ValidateOod(ModelManifest m, string package)
    {
        var o = m.Ood;
        if (o is null)
        {
            return;
        }
        if (o.Method is not ("knn" or "mahalanobis"))
        {
            throw Fail(ModelPackageError.OodInvalid, package, "ood.method", $"'{o.Method}' is not a known method (knn, mahalanobis)");
        }
        if (o.Method == "knn" && o.K < 1)
        {
            throw Fail(ModelPackageError.OodInvalid, package, "ood.k", $"the nearest-neighbour method needs k ≥ 1, not {o.K}");
        }
        Require(o.File, "ood.file", package);
        if (!(o.Threshold > 0) || !double.IsFinite(o.Threshold))
        {
            throw Fail(ModelPackageError.OodInvalid, package, "ood.threshold", $"the distance threshold must be finite and > 0, not {o.Threshold}");
        }
        if (o.Features != OodFeatures.Embedding && m.Graphs.Count < 2)
        {
            throw Fail(ModelPackageError.OodInvalid, package, "ood.features", "backbone and pooled features need a chain of two graphs or more");
        }
        if (o.Contrast is { } c)
        {
            if (o.Method != "knn" || c.Rows < o.K)
            {
                throw Fail(ModelPackageError.OodInvalid, package, "ood.contrast.rows", $"a contrast population needs the knn method and at least k = {o.K} rows, not {c.Rows} with {o.Method}");
            }
            if (!(c.Threshold > 0) || !double.IsFinite(c.Threshold))
            {
                throw Fail(ModelPackageError.OodInvalid, package, "ood.contrast.threshold", $"the distance ratio threshold must be finite and > 0, not {c.Threshold}");
            }
        }
    }

    private static void Require(string? value, string field, string package)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Fail(ModelPackageError.FieldMissing, package, field, $"'{field}' is missing or empty");
        }
    }

    private static ModelPackageException Fail(ModelPackageError e, string package, string field, string problem) =>
        new(e, package, "model.json", field, problem);

    // SemVer 2.0.0's grammar (semver.org), without the build metadata's leading-zero subtleties.
    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$")]
    private static partial Regex SemVer();
}
