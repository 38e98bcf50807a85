using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Reports;
using CxrPacsAgent.Dicom.Reports.Templates;

namespace CxrPacsAgent.Worker.Results;

/// <summary>
/// Turns one <see cref="CxrResult"/> into what the radiologist opens: the TID 1500 SR (IHE AI Results), optionally a
/// Chest CAD SR, and the Secondary Capture picture, with UIDs derived from the source and model (a retry replaces).
/// </summary>
public static class ResultDocuments
{
    public static ResultObjects Build(CxrResult result, ResultOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        result.Validate();
        options.Validate();
        var when = result.CompletedAt ?? (clock ?? TimeProvider.System).GetLocalNow();
        var source = SopReference.Of(result.Source);
        var uids = ResultUids.For(source.SeriesInstanceUid ?? throw new ArgumentException("the source has no Series Instance UID (0020,000E)"),
            source.SopInstanceUid, result.Model);
        var text = new SourceText(result.Source.CharacterSet);
        var agent = Agent(options.Agent, text);
        ContributingEquipment[] contributions = [Algorithm(result.Model, agent.Manufacturer, text, when)];

        var report = StructuredReport.Build(result.Source, new StructuredReportHeader
        {
            SopClassUid = options.StructuredReportSopClassUid,
            SopInstanceUid = uids.Report,
            SeriesInstanceUid = uids.ReportSeries,
            SeriesNumber = options.ReportSeriesNumber,
            SeriesDescription = PictureContent.SeriesDescription("AI result", result.Model, text),
            ContentDateTime = when,
            Equipment = agent,
            ContributingEquipment = contributions,
            CurrentRequestedProcedureEvidence = [source],
            PertinentOtherEvidence = [.. result.SimilarCases.Where(c => c.SopClassUid is not null).Select(ReportContent.Reference)],
            CodingSchemes = [LocalCodes.Scheme],
        }, ReportContent.Build(result, uids, options.Agent, text).ToContent());

        var cad = options.ChestCadReport ? ChestCad(result, options, uids, agent, contributions, when, text) : null;
        var picture = options.SecondaryCapture ? PictureContent.Build(result, options, uids, agent, contributions, when) : null;
        return new ResultObjects(report, cad, picture, uids);
    }

    private static DicomDataset ChestCad(CxrResult r, ResultOptions options, ResultUids uids, Equipment agent,
        IReadOnlyList<ContributingEquipment> contributions, DateTimeOffset when, SourceText text)
    {
        var source = SopReference.Of(r.Source);
        var content = new ChestCadReport
        {
            Image = source,
            Finding = new CodedConcept(r.Model.Finding.Value, r.Model.Finding.Scheme, text.Fit(r.Model.Finding.Meaning)),
            Detected = r.Call,
            Certainty = r.Call is null ? null : Math.Round(r.Score, 4),
            Algorithm = ReportContent.Algorithm(r, text),
        };
        return StructuredReport.Build(r.Source, new StructuredReportHeader
        {
            SopClassUid = DicomUids.ChestCADSRStorage,
            SopInstanceUid = uids.ChestCadReport,
            SeriesInstanceUid = uids.ReportSeries,
            SeriesNumber = options.ReportSeriesNumber,
            InstanceNumber = 2,
            SeriesDescription = PictureContent.SeriesDescription("AI result", r.Model, text),
            ContentDateTime = when,
            Equipment = agent,
            ContributingEquipment = contributions,
            CurrentRequestedProcedureEvidence = [source],
        }, content.ToContent());
    }

    private static Equipment Agent(AgentIdentity agent, SourceText text) =>
        new(text.Fit(agent.Manufacturer), text.Fit(agent.ModelName), agent.SoftwareVersion, text.Fit(agent.DeviceSerialNumber),
            ResultUids.Agent(agent), agent.InstitutionName is null ? null : text.Fit(agent.InstitutionName),
            agent.StationName is null ? null : text.Fit(agent.StationName));

    /// <summary>
    /// IHE AI Results 6.5.3.1: the algorithm as Processing Equipment with manufacturer, model name, version and Device
    /// UID — the same values the SR's device observer (TID 1004) and algorithm identification (TID 4019) give.
    /// </summary>
    private static ContributingEquipment Algorithm(ModelIdentity model, string manufacturer, SourceText text, DateTimeOffset when) =>
        new(Codes.ProcessingEquipment,
            new Equipment(manufacturer, text.Fit(model.Name), text.Fit(model.Version), null, ResultUids.Algorithm(model)),
            when, text.Fit($"AI model scoring {model.Finding.Meaning}; {model.Task}"));
}
