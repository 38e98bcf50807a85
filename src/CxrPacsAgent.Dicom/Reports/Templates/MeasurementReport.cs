namespace CxrPacsAgent.Dicom.Reports.Templates;

/// <summary>
/// TID 1500 Measurement Report: title, language (TID 1204), observation context (TID 1001 with a device observer),
/// procedures reported, the Imaging Measurements container with its TID 1501 groups, and report-level Qualitative
/// Evaluations. The IHE AI Results profile builds on this template. Containers are SEPARATE (Continuity of Content):
/// their items are independent statements, which renderers then show one by one with their names, not as running text.
/// </summary>
public sealed record MeasurementReport
{
    /// <summary>Document title, CID 7021; Imaging Measurement Report unless a more specific title applies.</summary>
    public CodedConcept Title { get; init; } = Codes.ImagingMeasurementReport;

    /// <summary>TID 1204 language, CID 5000.</summary>
    public CodedConcept Language { get; init; } = Codes.EnglishUnitedStates;

    public required DeviceObserver Observer { get; init; }

    /// <summary>Procedure reported (121058, DCM), 1-n: the imaging procedure(s) the report is about.</summary>
    public required IReadOnlyList<CodedConcept> ProceduresReported { get; init; }

    /// <summary>TID 1501 groups under Imaging Measurements (126010, DCM).</summary>
    public IReadOnlyList<MeasurementGroup> Groups { get; init; } = [];

    /// <summary>CODE or TEXT items under Qualitative Evaluations (C0034375, UMLS): about the whole report.</summary>
    public IReadOnlyList<ContentItem> QualitativeEvaluations { get; init; } = [];

    public ContainerItem ToContent()
    {
        if (ProceduresReported.Count == 0)
        {
            throw new ArgumentException("TID 1500 needs at least one Procedure reported", nameof(ProceduresReported));
        }
        if (Groups.Count == 0 && QualitativeEvaluations.Count == 0)
        {
            throw new ArgumentException("TID 1500 needs measurement groups or qualitative evaluations", nameof(Groups));
        }
        List<ContentItem> rows = [new CodeItem(Codes.LanguageOfContentItemAndDescendants, Language) { Relationship = RelationshipType.HasConceptModifier }];
        rows.AddRange(Observer.ToContent());
        rows.AddRange(ProceduresReported.Select(p => new CodeItem(Codes.ProcedureReported, p) { Relationship = RelationshipType.HasConceptModifier }));
        if (Groups.Count > 0)
        {
            rows.Add(new ContainerItem(Codes.ImagingMeasurements) { Children = [.. Groups.Select(g => g.ToContent())] });
        }
        if (QualitativeEvaluations.Count > 0)
        {
            rows.Add(new ContainerItem(Codes.QualitativeEvaluations)
            {
                Children = [.. QualitativeEvaluations.Select(e => e with { Relationship = RelationshipType.Contains })],
            });
        }
        return new ContainerItem(Title, TemplateIdentifier: "1500") { Children = rows };
    }
}
