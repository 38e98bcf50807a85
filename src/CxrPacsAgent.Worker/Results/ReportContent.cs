using System.Globalization;
using CxrPacsAgent.Dicom.Reports;
using CxrPacsAgent.Dicom.Reports.Templates;

namespace CxrPacsAgent.Worker.Results;

/// <summary>
/// A result as a TID 1500 content tree, the shape IHE AI Results asks for: a chest radiograph as Procedure reported,
/// the model as device observer; one measurement group for the model (finding, algorithm, source image, score,
/// threshold, call), one for the similar cases and k-NN vote when retrieval gave them, and report-level text saying
/// what limits the result. See docs/results.md for the tree and every code.
/// </summary>
internal static class ReportContent
{
    /// <summary>SNOMED CT "Plain chest X-ray" (399208008): the imaging procedure reported.</summary>
    public static readonly CodedConcept ChestRadiograph = new("399208008", "SCT", "Plain chest X-ray");

    public static MeasurementReport Build(CxrResult r, ResultUids uids, AgentIdentity agent, SourceText text)
    {
        var model = r.Model;
        var finding = Fit(model.Finding, text);
        List<MeasurementGroup> groups = [ModelGroup(r, uids, finding, text)];
        if (r.SimilarCases.Count > 0 || r.Knn is not null)
        {
            groups.Add(KnnGroup(r, uids, finding, text));
        }
        return new MeasurementReport
        {
            Observer = new DeviceObserver(ResultUids.Algorithm(model), text.Fit(agent.ModelName), text.Fit(agent.Manufacturer), text.Fit(model.Name)),
            ProceduresReported = [ChestRadiograph],
            Groups = groups,
            QualitativeEvaluations = [.. Limitations(r).Select(l => new TextItem(l.Concept, text.Fit(l.Text)))],
        };
    }

    /// <summary>Algorithm identification (TID 4019) of the model: name, version, threshold and training data as parameters.</summary>
    public static AlgorithmIdentification Algorithm(CxrResult r, SourceText text) =>
        new(text.Fit(r.Model.Name), text.Fit(r.Model.Version),
        [
            string.Create(CultureInfo.InvariantCulture, $"score threshold {r.Threshold:0.###}"),
            text.Fit("training data: " + r.Model.TrainingData),
        ]);

    /// <summary>What limits the result, in the order a reader needs it: intended use, distribution, input quality.</summary>
    public static IEnumerable<(CodedConcept Concept, string Text)> Limitations(CxrResult r)
    {
        yield return (LocalCodes.IntendedUse, r.Model.IntendedUse);
        if (r.OutOfDistribution is { Flagged: true } ood)
        {
            yield return (LocalCodes.Limitation, OutOfDistributionText(ood, r.Call is null));
        }
        foreach (var flag in r.QualityFlags)
        {
            yield return (LocalCodes.Limitation, flag.Text);
        }
    }

    public static string OutOfDistributionText(OutOfDistribution ood, bool noCall)
    {
        var measure = ood is { Distance: { } d, Limit: { } l }
            ? string.Create(CultureInfo.InvariantCulture, $" (distance {d:0.###}, limit {l:0.###})")
            : "";
        return $"The image lies outside the model's training distribution{measure}{(noCall ? "; no call is made" : "")}.";
    }

    private static MeasurementGroup ModelGroup(CxrResult r, ResultUids uids, CodedConcept finding, SourceText text)
    {
        List<NumItem> measurements =
        [
            new(Codes.CertaintyOfFinding, Round(r.Score), Codes.NoUnits),
            new(Codes.ThresholdValue, Round(r.Threshold), Codes.NoUnits),
        ];
        if (r.CalibratedProbability is { } p)
        {
            measurements.Add(new NumItem(LocalCodes.CalibratedProbability, Round(p), Codes.NoUnits));
        }
        if (r.OutOfDistribution is { Distance: { } distance } && double.IsFinite(distance))
        {
            measurements.Add(new NumItem(LocalCodes.OutOfDistributionDistance, Round(distance), Codes.NoUnits));
        }
        return new MeasurementGroup
        {
            TrackingIdentifier = text.Fit($"AI finding: {finding.Meaning}"),
            TrackingUid = uids.ModelTracking,
            Finding = finding,
            Algorithm = Algorithm(r, text),
            SourceImages = [SopReference.Of(r.Source)],
            Measurements = measurements,
            Evaluations = [new CodeItem(finding, Presence(r.Call))],
        };
    }

    /// <summary>The similar cases (COMPOSITE references with similarity and label) and their majority vote.</summary>
    private static MeasurementGroup KnnGroup(CxrResult r, ResultUids uids, CodedConcept finding, SourceText text)
    {
        List<NumItem> measurements = [];
        List<ContentItem> evaluations = [];
        if (r.Knn is { } knn)
        {
            measurements.Add(new NumItem(Codes.CertaintyOfFinding, Round(knn.Fraction), Codes.NoUnits));
            evaluations.Add(new CodeItem(finding, Presence(knn.Call)));
        }
        measurements.AddRange(r.SimilarCases.Select(c => SimilarCaseItem(c, r.Model, finding, text)));
        var k = r.Knn?.Neighbours ?? r.SimilarCases.Count;
        return new MeasurementGroup
        {
            TrackingIdentifier = text.Fit($"k-NN second opinion: {finding.Meaning}"),
            TrackingUid = uids.KnnTracking,
            Finding = finding,
            Algorithm = new AlgorithmIdentification("k-nearest neighbours over the model embedding", text.Fit($"{r.Model.Name} {r.Model.Version}"),
                [string.Create(CultureInfo.InvariantCulture, $"k = {k}"), "similarity: cosine of embeddings"]),
            Measurements = measurements,
            Evaluations = evaluations,
        };
    }

    /// <summary>NUM Similarity, with the case's label as properties, inferred from the COMPOSITE reference to the case.</summary>
    private static NumItem SimilarCaseItem(SimilarCase c, ModelIdentity model, CodedConcept finding, SourceText text)
    {
        List<ContentItem> children = [];
        if (LabelPresence(c.Label, model) is { } present)
        {
            children.Add(new CodeItem(finding, present) { Relationship = RelationshipType.HasProperties });
        }
        children.Add(new TextItem(LocalCodes.CaseLabel, text.Fit(c.Label)) { Relationship = RelationshipType.HasProperties });
        children.Add(new TextItem(LocalCodes.LabelSource, text.Fit(c.LabelSource)) { Relationship = RelationshipType.HasProperties });
        if (c.SopClassUid is not null)
        {
            children.Add(new CompositeItem(LocalCodes.SimilarCase, Reference(c)) { Relationship = RelationshipType.InferredFrom });
        }
        return new NumItem(LocalCodes.Similarity, Round(c.Similarity), Codes.NoUnits) { Children = children };
    }

    /// <summary>The case in the PACS; only for a case with a SOP class.</summary>
    public static SopReference Reference(SimilarCase c) =>
        new SopReference(c.SopClassUid ?? throw new ArgumentException("a similar case without a SOP class is not in the PACS"),
            c.SopInstanceUid, c.StudyInstanceUid, c.SeriesInstanceUid).Validate();

    public static CodedConcept Presence(bool? call) => call switch
    {
        true => Codes.Present,
        false => Codes.Absent,
        null => Codes.Undetermined,
    };

    private static CodedConcept? LabelPresence(string label, ModelIdentity model) =>
        string.Equals(label, model.PositiveLabel, StringComparison.OrdinalIgnoreCase) ? Codes.Present
        : string.Equals(label, model.NegativeLabel, StringComparison.OrdinalIgnoreCase) ? Codes.Absent
        : null;

    private static CodedConcept Fit(CodedConcept concept, SourceText text) =>
        new(concept.Value, concept.Scheme, text.Fit(concept.Meaning), concept.SchemeVersion);

    /// <summary>Four decimals: the precision a score has, and short DS values.</summary>
    private static double Round(double value) => Math.Round(value, 4);
}
