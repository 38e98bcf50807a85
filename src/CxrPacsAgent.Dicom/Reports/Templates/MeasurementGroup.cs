namespace CxrPacsAgent.Dicom.Reports.Templates;

/// <summary>
/// TID 1501 Measurement and Qualitative Evaluation Group: observations about whole images, identified by a tracking
/// identifier and UID, naming the finding and the algorithm, referencing the source images, then the measurements
/// (TID 300 NUM items) and qualitative evaluations (CODE or TEXT items) as given.
/// </summary>
public sealed record MeasurementGroup
{
    /// <summary>Tracking Identifier (112039, DCM): a label people read.</summary>
    public required string TrackingIdentifier { get; init; }

    /// <summary>Tracking Unique Identifier (112040, DCM): the same observation keeps the same UID across reports.</summary>
    public required string TrackingUid { get; init; }

    /// <summary>Finding category (276214006, SCT), optional.</summary>
    public CodedConcept? FindingCategory { get; init; }

    /// <summary>Finding (121071, DCM): what the group is about.</summary>
    public CodedConcept? Finding { get; init; }

    /// <summary>TID 4019, as HAS CONCEPT MOD.</summary>
    public AlgorithmIdentification? Algorithm { get; init; }

    /// <summary>Images the group is about, as CONTAINS IMAGE (260753009, SCT, "Source").</summary>
    public IReadOnlyList<SopReference> SourceImages { get; init; } = [];

    /// <summary>NUM items (TID 300), each with any children it needs.</summary>
    public IReadOnlyList<NumItem> Measurements { get; init; } = [];

    /// <summary>CODE or TEXT items: the qualitative evaluations.</summary>
    public IReadOnlyList<ContentItem> Evaluations { get; init; } = [];

    public ContainerItem ToContent()
    {
        List<ContentItem> rows =
        [
            new TextItem(Codes.TrackingIdentifier, TrackingIdentifier) { Relationship = RelationshipType.HasObservationContext },
            new UidRefItem(Codes.TrackingUniqueIdentifier, TrackingUid) { Relationship = RelationshipType.HasObservationContext },
        ];
        if (FindingCategory is not null)
        {
            rows.Add(new CodeItem(Codes.FindingCategory, FindingCategory));
        }
        if (Finding is not null)
        {
            rows.Add(new CodeItem(Codes.Finding, Finding));
        }
        if (Algorithm is not null)
        {
            rows.AddRange(Algorithm.ToContent());
        }
        rows.AddRange(SourceImages.Select(image => new ImageItem(Codes.Source, image)));
        rows.AddRange(Measurements.Select(m => m with { Relationship = RelationshipType.Contains }));
        rows.AddRange(Evaluations.Select(e => e.ValueType is ContentValueType.Code or ContentValueType.Text
            ? e with { Relationship = RelationshipType.Contains }
            : throw new ArgumentException($"a qualitative evaluation is CODE or TEXT, not {e.ValueType}", nameof(Evaluations))));
        return new ContainerItem(Codes.MeasurementGroup) { Children = rows };
    }
}
