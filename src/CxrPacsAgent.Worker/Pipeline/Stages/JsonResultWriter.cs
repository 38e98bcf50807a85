using System.Text.Json;
using System.Text.Json.Nodes;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Network.Storage;

namespace CxrPacsAgent.Worker.Pipeline.Stages;

/// <summary>
/// The JSON result, <c>{results folder}/{SOP Instance UID}.json</c>: the source's UIDs, the model, score, threshold,
/// call, whether the source was lossy, the similar studies when retrieval found any, and the DICOM result documents
/// written for it. No patient data. Its fields are documented in docs/operations.md.
/// </summary>
public sealed class JsonResultWriter(ModelHost model, TimeProvider time)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public async ValueTask<ResultDocument> WriteAsync(WorkItem item, IReadOnlyList<ResultDocument> documents, ResultFolders folders,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(folders);
        var score = item.Score ?? throw new InvalidOperationException("the item is not scored");
        var dataset = item.Source?.Dataset;
        string? Uid(DicomTag tag) => dataset is not null && dataset.Contains(tag) ? dataset.GetString(tag)?.Trim() : null;
        var manifest = model.Manifest;
        var result = new JsonObject
        {
            ["sopInstanceUid"] = item.Job.SopInstanceUid,
            ["sopClassUid"] = item.Job.SopClassUid,
            ["studyInstanceUid"] = Uid(DicomTags.StudyInstanceUID),
            ["seriesInstanceUid"] = Uid(DicomTags.SeriesInstanceUID),
            ["transferSyntaxUid"] = item.Job.TransferSyntaxUid,
            ["model"] = new JsonObject { ["name"] = score.Model, ["version"] = score.ModelVersion, ["task"] = manifest.Task },
            ["score"] = score.Score,
            ["threshold"] = score.Threshold,
            ["calibrated"] = score.Calibrated,
            ["label"] = score.Label,
            ["outOfDistribution"] = score.OodDistance is null ? null : new JsonObject
            {
                ["flagged"] = score.OutOfDistribution,
                ["distance"] = score.OodDistance,
                ["threshold"] = score.OodThreshold,
            },
            ["lossySource"] = score.LossySource,
            ["similarStudies"] = item.SimilarStudies is { } similar ? JsonNode.Parse(similar) : null,
            ["documents"] = new JsonArray([.. documents.Where(d => d.IsDicom).Select(d => (JsonNode)new JsonObject
            {
                ["sopInstanceUid"] = d.SopInstanceUid,
                ["sopClassUid"] = d.SopClassUid,
            })]),
            ["notForDiagnosticUse"] = true,
            ["processedAt"] = time.GetUtcNow(),
        };
        var path = Path.Combine(folders.Results, Path.ChangeExtension(FileStoreHandler.FileNameFor(item.Job.SopInstanceUid), ".json"));
        await DurableFile.WriteAsync(path, JsonSerializer.SerializeToUtf8Bytes(result, Options), cancellationToken).ConfigureAwait(false);
        return new ResultDocument(path);
    }
}
