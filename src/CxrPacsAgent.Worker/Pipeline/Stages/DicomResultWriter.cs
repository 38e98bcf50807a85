using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Network.Storage;
using CxrPacsAgent.Inference.Explain;
using CxrPacsAgent.Inference.Runtime;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Results;
using CxrPacsAgent.Worker.Retrieval;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Pipeline.Stages;

/// <summary>
/// The SR and SC (and the optional Chest CAD SR) of a scored item: builds the results work's <see cref="CxrResult"/>
/// from what the stages found, has <see cref="ResultDocuments"/> build the instances, and writes each durably as
/// <c>{source UID}.{sr|cad|sc}.dcm</c>. Their UIDs derive from the source and the model, so writing again after a
/// restart replaces the same files with the same instances.
/// </summary>
public sealed partial class DicomResultWriter(ModelHost model, IOptions<ResultsOptions> options, TimeProvider time,
    ILogger<DicomResultWriter> logger, ISimilarStudyIndex? library = null) : IResultWriter
{
    public async ValueTask<IReadOnlyList<ResultDocument>> WriteAsync(WorkItem item, ResultFolders folders, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(folders);
        var score = item.Score ?? throw new InvalidOperationException("the item is not scored");
        var source = item.Source?.Dataset ?? throw new InvalidOperationException("the filter stage did not run");
        var preprocessed = item.Preprocessed ?? throw new InvalidOperationException("the preprocess stage did not run");
        var settings = options.Value.ToResultOptions();
        var flags = QualityFlag.FromSource(source).ToList();
        if (item.LossySource && !flags.Contains(QualityFlag.LossySource))
        {
            // Received in a lossy transfer syntax without Lossy Image Compression set in the header.
            flags.Add(QualityFlag.LossySource);
        }
        var (similar, knn) = await SimilarCasesAsync(item, cancellationToken).ConfigureAwait(false);
        var result = new CxrResult
        {
            Source = source,
            Model = ModelIdentity.FromManifest(model.Manifest),
            Score = score.Score,
            Threshold = score.Threshold,
            // The package's score is its calibrated probability when calibrated, the scale the threshold is on.
            CalibratedProbability = score.Calibrated ? score.Score : null,
            // No call outside the training distribution: the SR says why instead.
            Call = score.Label is null ? null : score.Score >= score.Threshold,
            OutOfDistribution = score.OodDistance is { } distance ? new OutOfDistribution(score.OutOfDistribution, distance, score.OodThreshold) : null,
            DisplayImage = preprocessed.Standardized,
            LungMap = preprocessed.LungMap.Crop(preprocessed.Geometry.Content),
            Heatmap = settings.SecondaryCapture && settings.Heatmap.Enabled ? Heatmap(item, settings.Heatmap.Grid) : null,
            QualityFlags = flags,
            SimilarCases = similar,
            Knn = knn,
        };
        ResultObjects objects;
        try
        {
            objects = ResultDocuments.Build(result, settings, time);
        }
        catch (ArgumentException e)
        {
            // A header that cannot carry results (no Study or Series Instance UID, say): the JSON result stands alone.
            LogNoDocuments(Observability.LogValues.Uid(item.Job.SopInstanceUid), e.Message);
            return [];
        }
        var baseName = FileStoreHandler.FileNameFor(item.Job.SopInstanceUid)[..^".dcm".Length];
        var written = new List<ResultDocument>();
        Directory.CreateDirectory(folders.Dicom);
        foreach (var (suffix, dataset) in objects.All())
        {
            var path = Path.Combine(folders.Dicom, $"{baseName}.{suffix}.dcm");
            DicomFile.Create(dataset, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path, flushToDisk: true);
            written.Add(new ResultDocument(path, dataset.GetString(DicomTags.SOPClassUID), dataset.GetString(DicomTags.SOPInstanceUID)));
        }
        DirectorySync.Flush(folders.Dicom);
        return written;
    }

    /// <summary>
    /// The retrieve stage's neighbours as the SR and SC show them, with their thumbnails from the library, and the vote as
    /// the SR counts it: of the neighbours with a label, how many carry the finding (a tie is no call there).
    /// </summary>
    private async ValueTask<(IReadOnlyList<SimilarCase> Cases, KnnOpinion? Vote)> SimilarCasesAsync(WorkItem item,
        CancellationToken cancellationToken)
    {
        if (item.SimilarStudies is not { } json || library is null)
        {
            return ([], null);
        }
        var found = SimilarStudies.Parse(json);
        if (found.Neighbours.Count == 0)
        {
            return ([], null);
        }
        var thumbnails = await library.ThumbnailsAsync([.. found.Neighbours.Select(n => n.EntryId)], cancellationToken).ConfigureAwait(false);
        var cases = found.Neighbours.Select(n => new SimilarCase(n.StudyInstanceUid, n.SeriesInstanceUid, n.SopInstanceUid, n.SopClassUid,
            n.Similarity, n.Label ?? "no call", n.LabelSource, thumbnails.GetValueOrDefault(n.EntryId))).ToList();
        var labelled = found.Neighbours.Where(n => n.Label is not null).ToList();
        var positive = model.Manifest.PositiveLabel;
        var vote = labelled.Count == 0 ? null
            : new KnnOpinion(labelled.Count, labelled.Count(n => string.Equals(n.Label, positive, StringComparison.OrdinalIgnoreCase)));
        return (cases, vote);
    }

    /// <summary>Occlusion sensitivity (grid² model runs), over the film the picture shows.</summary>
    private Imaging.GrayImage? Heatmap(WorkItem item, int grid)
    {
        var tensor = item.ModelInput ?? model.InputBuilder.Build(item.Preprocessed!);
        // A one-model ensemble over the loaded model; not disposed, as the model belongs to the host.
        var ensemble = new ModelEnsemble([model.Model]);
        return ModelOcclusion.Compute(ensemble, item.Preprocessed!, tensor.Data, grid).Saliency();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No SR or SC for {SopInstanceUid}: {Reason}")]
    private partial void LogNoDocuments(string sopInstanceUid, string reason);
}
