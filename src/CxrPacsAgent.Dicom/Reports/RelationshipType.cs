namespace CxrPacsAgent.Dicom.Reports;

/// <summary>Relationship Type (0040,A010): how a content item relates to its parent (PS3.3 C.17.3.2.4).</summary>
public enum RelationshipType
{
    Contains,
    HasProperties,
    HasObservationContext,
    HasAcquisitionContext,
    InferredFrom,
    SelectedFrom,
    HasConceptModifier,
}

/// <summary>The Defined Terms of Relationship Type as encoded.</summary>
public static class RelationshipTypes
{
    private static readonly string[] Terms =
        ["CONTAINS", "HAS PROPERTIES", "HAS OBS CONTEXT", "HAS ACQ CONTEXT", "INFERRED FROM", "SELECTED FROM", "HAS CONCEPT MOD"];

    public static string ToTerm(this RelationshipType type) => Terms[(int)type];

    /// <summary>The relationship a term names, or null for an unknown term.</summary>
    public static RelationshipType? Parse(string? term)
    {
        var index = Array.IndexOf(Terms, term?.Trim());
        return index < 0 ? null : (RelationshipType)index;
    }
}
