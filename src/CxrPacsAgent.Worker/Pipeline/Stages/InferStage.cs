using CxrPacsAgent.Worker.State;

namespace CxrPacsAgent.Worker.Pipeline.Stages;

/// <summary>
/// Scores the instance with the model (ONNX Runtime on the CPU or CUDA) and records score and embedding, so a restart
/// never scores it again.
/// </summary>
public sealed class InferStage(ModelHost model, IJobStore jobs) : IStage
{
    public string Name => "infer";

    public async ValueTask<StageOutcome> RunAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Score is not null)
        {
            return StageOutcome.Continue;
        }
        var input = item.ModelInput ?? throw new InvalidOperationException("the preprocess stage did not run");
        var prediction = model.Model.Predict(input);
        var manifest = model.Manifest;
        var score = new ScoreRecord(prediction.Score, prediction.Label, manifest.Threshold, manifest.Name, manifest.Version,
            prediction.Embedding, item.LossySource);
        if (!await jobs.RecordScoredAsync(item.Ref, score, cancellationToken).ConfigureAwait(false))
        {
            return StageOutcome.Superseded;
        }
        item.Score = score;
        item.ModelInput = null;
        return StageOutcome.Continue;
    }
}
