using CxrPacsAgent.Inference.Packages;

namespace CxrPacsAgent.Inference.Runtime;

/// <summary>Start-up checks that need the loaded graphs: input shape, the shapes between graphs, the named outputs.</summary>
internal static class ChainValidator
{
    /// <returns>The embedding size.</returns>
    public static int Validate(ModelPackage package, IReadOnlyList<GraphStage> stages)
    {
        var m = package.Manifest;
        var first = stages[0];
        int[] expected = [3, m.Input.Height, m.Input.Width];
        var dims = first.InputDims;
        if (dims.Length != 4 || Enumerable.Range(0, 3).Any(i => dims[i + 1] > 0 && dims[i + 1] != expected[i]))
        {
            throw Fail(ModelPackageError.InputShapeMismatch, package,
                $"'{Name(first)}' takes [{string.Join(',', dims)}] but model.json declares [N,3,{m.Input.Height},{m.Input.Width}]");
        }
        for (var i = 0; i + 1 < stages.Count; i++)
        {
            var outDims = stages[i].Session.OutputMetadata[stages[i].OutputName].Dimensions;
            var produced = GraphStage.PerSample(outDims);
            var wanted = stages[i + 1].InputPerSample;
            if (produced > 0 && wanted > 0 && produced != wanted)
            {
                throw Fail(ModelPackageError.ChainShapeMismatch, package,
                    $"'{Name(stages[i])}' gives {produced} values per sample but '{Name(stages[i + 1])}' takes {wanted}");
            }
        }
        var last = stages[^1].Session.OutputMetadata;
        foreach (var name in new[] { m.Outputs.Score, m.Outputs.Embedding })
        {
            if (!last.ContainsKey(name))
            {
                throw Fail(ModelPackageError.OutputMissing, package,
                    $"output '{name}' is not in '{Name(stages[^1])}' (it has: {string.Join(", ", last.Keys)})");
            }
        }
        var score = GraphStage.PerSample(last[m.Outputs.Score].Dimensions);
        if (score is not (1 or -1))
        {
            throw Fail(ModelPackageError.OutputShapeInvalid, package, $"score output '{m.Outputs.Score}' must be [N] or [N,1]");
        }
        var embDims = last[m.Outputs.Embedding].Dimensions;
        if (embDims.Length != 2 || embDims[1] <= 0)
        {
            throw Fail(ModelPackageError.OutputShapeInvalid, package,
                $"embedding output '{m.Outputs.Embedding}' must be [N,D] with D known, not [{string.Join(',', embDims)}]");
        }
        return embDims[1];
    }

    private static string Name(GraphStage s) => Path.GetFileName(s.Path);

    private static ModelPackageException Fail(ModelPackageError e, ModelPackage p, string problem) => new(e, p.Folder, problem);
}
