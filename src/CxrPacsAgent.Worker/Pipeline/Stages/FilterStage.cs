using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Imaging.Codecs;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Imaging;
using CxrPacsAgent.Imaging.Filtering;
using CxrPacsAgent.Imaging.Sources;
using CxrPacsAgent.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Pipeline.Stages;

/// <summary>
/// Is this an instance to score? The header first (Imaging's frontal-chest filter: SOP class, modality, body part,
/// view), then whether its pixels can be decoded, then whether a lossy source is wanted, and last the image check
/// where the header is silent. Everything not scored is skipped with its reason.
/// </summary>
public sealed class FilterStage(IOptions<PipelineOptions> options) : IStage
{
    /// <summary>Skip reasons of this stage besides Imaging's <see cref="SkipReason"/> values.</summary>
    public const string UndecodableTransferSyntax = "UndecodableTransferSyntax";

    /// <inheritdoc cref="UndecodableTransferSyntax"/>
    public const string LossySource = "LossySource";

    /// <summary>Failure reason: the received file is no longer in the spool.</summary>
    public const string SpoolFileMissing = "SpoolFileMissing";

    public string Name => "filter";

    public ValueTask<StageOutcome> RunAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!File.Exists(item.SpoolPath))
        {
            // Removed by hand, or a restore without the spool: nothing to process, and waiting will not bring it back.
            return ValueTask.FromResult(StageOutcome.Fail(SpoolFileMissing, $"{Path.GetFileName(item.SpoolPath)} is not in the spool"));
        }
        DicomFile file;
        try
        {
            file = DicomFile.Open(item.SpoolPath);
        }
        catch (DicomFormatException e)
        {
            return ValueTask.FromResult(StageOutcome.Fail("UnreadableDataSet", e.Message));
        }
        var header = FrontalChestFilter.FromHeader(file.Dataset);
        if (!header.Accepted)
        {
            return ValueTask.FromResult(StageOutcome.Skip(header.Reason.ToString(), header.Message));
        }
        var syntax = file.TransferSyntax;
        if (!DicomCodecRegistry.CanDecode(syntax))
        {
            return ValueTask.FromResult(StageOutcome.Skip(UndecodableTransferSyntax, DicomCodecRegistry.WhyCannotDecode(syntax)));
        }
        var lossy = syntax.IsLossy || (file.Dataset.Contains(DicomTags.LossyImageCompression)
            && (file.Dataset.GetString(DicomTags.LossyImageCompression) ?? "").Trim() == "01");
        if (lossy && !options.Value.ProcessLossySources)
        {
            return ValueTask.FromResult(StageOutcome.Skip(LossySource, "lossy-compressed source (Pipeline:ProcessLossySources is false)"));
        }
        item.Source = file;
        item.LossySource = lossy;
        if (header.NeedsImageCheck)
        {
            try
            {
                item.Image = Radiograph.FromDicom(file).Image;
            }
            catch (ImageException e)
            {
                return ValueTask.FromResult(StageOutcome.Fail(e.Error.ToString(), e.Message));
            }
            var image = ImageViewHeuristic.Evaluate(item.Image);
            if (!image.Accepted)
            {
                return ValueTask.FromResult(StageOutcome.Skip(image.Reason.ToString(), image.Message));
            }
        }
        return ValueTask.FromResult(StageOutcome.Continue);
    }
}
