using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Sources;

namespace CxrPacsAgent.Worker.Pipeline.Stages;

/// <summary>
/// Preprocessing and lung segmentation, as the model package asks (Imaging's CxrPreprocessor through Inference's
/// ModelInputBuilder: crop, brightness, CLAHE, resize with padding, lung U-Net), and the model's input tensor.
/// </summary>
public sealed class PreprocessStage(ModelHost model) : IStage
{
    public string Name => "preprocess";

    public ValueTask<StageOutcome> RunAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Preprocessed is not null)
        {
            return ValueTask.FromResult(StageOutcome.Continue);
        }
        try
        {
            item.Image ??= Radiograph.FromDicom(item.Source ?? throw new InvalidOperationException("the filter stage did not run")).Image;
            item.Preprocessed = model.InputBuilder.Preprocess(item.Image);
        }
        catch (ImageException e)
        {
            return ValueTask.FromResult(StageOutcome.Fail(e.Error.ToString(), e.Message));
        }
        if (item.Score is null)
        {
            item.ModelInput = model.InputBuilder.Build(item.Preprocessed);
        }
        return ValueTask.FromResult(StageOutcome.Continue);
    }
}
