using CxrPacsAgent.Worker.Retrieval;
using CxrPacsAgent.Worker.State;

namespace CxrPacsAgent.Worker.Pipeline.Stages;

/// <summary>
/// Scores the instance with the model (ONNX Runtime on the CPU or CUDA) and records score, embedding, calibration and
/// out-of-distribution measure, so a restart never scores it again. Out of distribution, the recorded label is null:
/// no call. With the score goes the admin page's thumbnail of the film as the SC shows it.
/// </summary>
public sealed class InferStage(ModelHost model, IJobStore jobs) : IStage
{
    /// <summary>Longest side of the admin page's thumbnail (a small PNG kept in the state store, so every agent of a site can show it).</summary>
    public const int ThumbnailLongSide = 128;

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
        var score = new ScoreRecord(prediction.Score, prediction.Call is null ? null : prediction.Label, manifest.Threshold,
            manifest.Name, manifest.Version, prediction.Embedding, item.LossySource)
        {
            Calibrated = manifest.Calibration is not null,
            OodDistance = prediction.Ood?.Distance,
            OodThreshold = prediction.Ood?.Threshold,
            Thumbnail = item.Preprocessed is { } preprocessed ? GreyPng.Encode(preprocessed.Standardized, ThumbnailLongSide).Data : null,
        };
        if (!await jobs.RecordScoredAsync(item.Ref, score, cancellationToken).ConfigureAwait(false))
        {
            return StageOutcome.Superseded;
        }
        item.Score = score;
        item.ModelInput = null;
        return StageOutcome.Continue;
    }
}
