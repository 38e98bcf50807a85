namespace CxrPacsAgent.Inference.Packages;

/// <summary>Checks of model.json that need no graph: required fields, ranges, channel layout, normalisation.</summary>
internal static class ManifestValidator
{
    public static void Validate(ModelManifest m, string package)
    {
        Require(m.Name, "name", package);
        Require(m.Version, "version", package);
        Require(m.Task, "task", package);
        Require(m.PositiveLabel, "positive_label", package);
        Require(m.NegativeLabel, "negative_label", package);
        Require(m.Outputs?.Score, "outputs.score", package);
        Require(m.Outputs?.Embedding, "outputs.embedding", package);
        if (m.Graphs is null || m.Graphs.Count == 0 || m.Graphs.Any(g => string.IsNullOrWhiteSpace(g.File)))
        {
            throw Fail(ModelPackageError.FieldMissing, package, "graphs must list at least one ONNX file, each with a 'file'");
        }
        if (m.Graphs[^1].Output is not null || m.Graphs.Any(g => g.Output is { } o && string.IsNullOrWhiteSpace(o)))
        {
            throw Fail(ModelPackageError.FieldMissing, package,
                "a graph's 'output' must name a tensor, and the last graph has none (its outputs are 'outputs.score' and 'outputs.embedding')");
        }
        if (!(m.Threshold >= 0 && m.Threshold <= 1))
        {
            throw Fail(ModelPackageError.ThresholdOutOfRange, package, $"threshold {m.Threshold} is outside [0,1]");
        }
        var input = m.Input ?? throw Fail(ModelPackageError.FieldMissing, package, "'input' is missing");
        if (input.Width <= 0 || input.Height <= 0)
        {
            throw Fail(ModelPackageError.FieldMissing, package, $"input size {input.Width}x{input.Height} is not positive");
        }
        if (input.Channels is null || input.Channels.Count != 3 || !input.Channels.Contains(InputChannel.Image))
        {
            throw Fail(ModelPackageError.ChannelLayoutInvalid, package,
                "input.channels must name 3 channels (image, lung_map, zeros) and include 'image'");
        }
        var n = input.Normalization ?? throw Fail(ModelPackageError.NormalizationInvalid, package, "input.normalization is missing");
        if (n.Mean is null || n.Std is null || n.Mean.Count != 3 || n.Std.Count != 3 || n.Std.Any(s => !(s > 0))
            || !(n.Scale > 0) || n.Mean.Any(double.IsNaN))
        {
            throw Fail(ModelPackageError.NormalizationInvalid, package,
                "input.normalization needs scale > 0 and 3 means and 3 standard deviations > 0");
        }
    }

    private static void Require(string? value, string field, string package)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Fail(ModelPackageError.FieldMissing, package, $"'{field}' is missing or empty");
        }
    }

    private static ModelPackageException Fail(ModelPackageError e, string package, string problem) => new(e, package, problem);
}
