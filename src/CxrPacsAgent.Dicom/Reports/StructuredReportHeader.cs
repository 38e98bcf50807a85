namespace CxrPacsAgent.Dicom.Reports;

/// <summary>
/// What an SR document says about itself beyond its content tree: SOP Common, SR Document Series, General and
/// Enhanced General Equipment, SR Document General (PS3.3 C.12.1, C.17.1, C.7.5, C.17.2).
/// </summary>
public sealed record StructuredReportHeader
{
    /// <summary>e.g. Comprehensive 3D SR, Comprehensive SR, Enhanced SR or Chest CAD SR Storage.</summary>
    public required string SopClassUid { get; init; }

    public required string SopInstanceUid { get; init; }

    public required string SeriesInstanceUid { get; init; }

    public int SeriesNumber { get; init; } = 1;

    /// <summary>Series Description (0008,103E): what viewers list the series as.</summary>
    public string? SeriesDescription { get; init; }

    public int InstanceNumber { get; init; } = 1;

    /// <summary>Content Date/Time and Instance Creation Date/Time; shown in the source's time zone when it states one.</summary>
    public required DateTimeOffset ContentDateTime { get; init; }

    /// <summary>Completion Flag (0040,A491): COMPLETE, or PARTIAL when the content is knowingly incomplete.</summary>
    public bool Complete { get; init; } = true;

    /// <summary>Preliminary Flag (0040,A496): PRELIMINARY or FINAL; absent when null.</summary>
    public bool? Preliminary { get; init; }

    public required Equipment Equipment { get; init; }

    public IReadOnlyList<ContributingEquipment> ContributingEquipment { get; init; } = [];

    /// <summary>Instances of the current requested procedure the tree references (Current Requested Procedure Evidence Sequence).</summary>
    public IReadOnlyList<SopReference> CurrentRequestedProcedureEvidence { get; init; } = [];

    /// <summary>Other instances the tree references (Pertinent Other Evidence Sequence).</summary>
    public IReadOnlyList<SopReference> PertinentOtherEvidence { get; init; } = [];

    /// <summary>Coding schemes to identify (Coding Scheme Identification Sequence), e.g. private ones.</summary>
    public IReadOnlyList<CodingScheme> CodingSchemes { get; init; } = [];
}
