using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Inference.Explain;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Worker.Results;

namespace CxrPacsAgent.Worker.Cli;

/// <summary>
/// <c>classify --out DIR</c>: writes the SR (and Chest CAD SR, SC picture) of one scored file, as the service would
/// store them, so results can be made and inspected without a PACS.
/// </summary>
internal sealed class ClassifyResults(string folder, ResultOptions options, ModelEnsemble ensemble)
{
    private readonly ModelIdentity model = ModelIdentity.FromManifest(ensemble.Members[0].Manifest);

    /// <summary>The files written, or why none were (a PNG/JPEG has no DICOM header to build them on).</summary>
    public (IReadOnlyList<string> Written, string? Skipped) Write(string file, PreprocessResult preprocessed, EnsemblePrediction prediction)
    {
        if (Radiograph.IsPicture(file))
        {
            return ([], "no DICOM header: the SR and SC are built on a DICOM source");
        }
        var source = DicomFile.Open(file).Dataset;
        var content = preprocessed.Geometry.Content;
        GrayImage? heatmap = null;
        if (options.SecondaryCapture && options.Heatmap.Enabled)
        {
            heatmap = ModelOcclusion.Compute(ensemble, preprocessed, preprocessed.Tensor.Data, options.Heatmap.Grid).Saliency();
        }
        var result = new CxrResult
        {
            Source = source,
            Model = ensemble.Members.Count == 1 ? model : model with
            {
                Name = string.Join(" + ", ensemble.Members.Select(m => m.Manifest.Name)),
                Version = string.Join(" + ", ensemble.Members.Select(m => m.Manifest.Version)),
            },
            // The package's score: its calibrated probability when calibrated, the scale the threshold is on.
            Score = prediction.MeanScore,
            CalibratedProbability = ensemble.Members[0].Manifest.Calibration is null ? null : prediction.MeanScore,
            Threshold = ensemble.Members[0].Manifest.Threshold,
            // No call outside the training distribution: the SR says why instead.
            Call = prediction.Call,
            OutOfDistribution = Ood(prediction),
            DisplayImage = preprocessed.Standardized,
            LungMap = preprocessed.LungMap.Crop(content),
            Heatmap = heatmap,
            QualityFlags = QualityFlag.FromSource(source),
        };
        try
        {
            var objects = ResultDocuments.Build(result, options);
            return (objects.Save(folder, Path.GetFileNameWithoutExtension(file)), null);
        }
        catch (ArgumentException e)
        {
            // A header the results cannot be built on (e.g. no Study Instance UID): scored, but said why there is no SR/SC.
            return ([], "the source header cannot carry results: " + e.Message);
        }
    }

    /// <summary>The members' OOD measures as one: flagged when any is, with the largest distance and its limit.</summary>
    private static OutOfDistribution? Ood(EnsemblePrediction prediction)
    {
        var measures = prediction.Members.Select(m => m.Ood).OfType<OodMeasure>().ToArray();
        if (measures.Length == 0)
        {
            return null;
        }
        var farthest = measures.MaxBy(m => m.Distance / m.Threshold)!;
        return new OutOfDistribution(prediction.OutOfDistribution, farthest.Distance, farthest.Threshold);
    }
}
