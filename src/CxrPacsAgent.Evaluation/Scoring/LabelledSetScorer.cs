using CxrPacsAgent.Evaluation.Data;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Input;
using CxrPacsAgent.Inference.Runtime;

namespace CxrPacsAgent.Evaluation.Scoring;

/// <summary>
/// Scores labelled images exactly as <c>classify</c> and the service do — the view filter first (DICOM header, else the
/// image), then decoding, the package's preprocessing and the model — so a measured figure is the service's figure.
/// Images run in parallel, one ONNX Runtime thread each (preprocessing is single-threaded).
/// </summary>
public static class LabelledSetScorer
{
    /// <param name="model">The package, loaded with one intra-op thread.</param>
    /// <param name="rows">labels.csv rows.</param>
    /// <param name="lungsMaskedAudit">Also score each image with its lungs blacked out (the shortcut audit).</param>
    /// <param name="keepFeatures">Keep the features that fed the last graph (for OOD statistics).</param>
    /// <param name="progress">Images done so far.</param>
    public static IReadOnlyList<ScoredRow> Score(CxrModel model, IReadOnlyList<LabeledImage> rows, bool lungsMaskedAudit = false,
        bool keepFeatures = false, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        var builder = new ModelInputBuilder(model.Manifest, model.LungSegmenter);
        return ParallelRows.Map(rows, row =>
        {
            try
            {
                var (image, view) = RadiographLoader.LoadForClassification(row.Path);
                if (image is null)
                {
                    return new ScoredRow(row, null, null, null, view.Reason.ToString(), view.Message);
                }
                var pre = builder.Preprocess(image);
                var outputs = model.Run(pre.Tensor);
                var prediction = model.Predict(outputs)[0];
                var masked = lungsMaskedAudit ? model.Predict(builder.Build(pre, lungMask: true)) : null;
                return new ScoredRow(row, prediction, masked, keepFeatures ? outputs.FeaturesOf(0).ToArray() : null, null, null);
            }
            catch (ImageException e)
            {
                return new ScoredRow(row, null, null, null, e.Error.ToString(), e.Message);
            }
        }, progress);
    }
}
