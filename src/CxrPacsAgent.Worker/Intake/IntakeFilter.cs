using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Storage;
using CxrPacsAgent.Imaging.Filtering;
using CxrPacsAgent.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Intake;

/// <summary>
/// With <c>Dicom:RefuseUnwanted</c>, refuses at receipt what the header says is not a frontal chest radiograph
/// (C000, with the reason in the Error Comment); the image check, which needs the pixels, is left to the pipeline.
/// By default nothing is refused here: the pipeline skips such instances with their reason.
/// </summary>
public sealed class IntakeFilter(IOptions<DicomOptions> options)
{
    public StoreOutcome? Refusal(ReceivedInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!options.Value.RefuseUnwanted)
        {
            return null;
        }
        DicomDataset header;
        try
        {
            header = DicomFile.Open(instance.TempFilePath).Dataset;
        }
        catch (DicomFormatException)
        {
            return new StoreOutcome(DimseStatus.CannotUnderstand, "data set cannot be parsed");
        }
        var verdict = FrontalChestFilter.FromHeader(header);
        return verdict.Accepted ? null : new StoreOutcome(DimseStatus.CannotUnderstand, $"not a frontal chest radiograph: {verdict.Reason}");
    }
}
