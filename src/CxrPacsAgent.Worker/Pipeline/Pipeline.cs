using CxrPacsAgent.Worker.Pipeline.Stages;

namespace CxrPacsAgent.Worker.Pipeline;

/// <summary>
/// The one place that says what happens to a received instance, in order. Each stage is a small adapter over its
/// library (see Pipeline/Stages); none calls another. Stages joined by bounded channels, each restartable from the
/// state recorded before it (<see cref="PipelineService"/>).
/// </summary>
public sealed class Pipeline(FilterStage filter, PreprocessStage preprocess, InferStage infer, IEnumerable<RetrieveStage> retrieve,
    ReportStage report, OutboxStage outbox)
{
    public IReadOnlyList<IStage> Stages { get; } =
    [
        filter,       // a frontal chest radiograph whose pixels we can decode? else skipped with the reason
        preprocess,   // crop, brightness, CLAHE, resize; lung U-Net; the model's input tensor
        infer,        // score and embedding (CPU or CUDA); recorded
        .. retrieve,  // similar earlier studies, and this one added to the index (when retrieval is installed); recorded
        report,       // SR + SC (when the results writer is installed) and the JSON result
        outbox,       // each document queued for each destination; recorded
    ];
}
