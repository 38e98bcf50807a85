namespace CxrPacsAgent.Dicom.Reports.Templates;

/// <summary>
/// TID 4019 Algorithm Identification: TEXT Algorithm Name (111001, DCM), Algorithm Version (111003, DCM) and any
/// Algorithm Parameters (111002, DCM), side by side, each related to the including item by the relationship it gives.
/// </summary>
public sealed record AlgorithmIdentification(string Name, string Version, IReadOnlyList<string> Parameters)
{
    public IEnumerable<ContentItem> ToContent(RelationshipType relationship = RelationshipType.HasConceptModifier)
    {
        yield return new TextItem(Codes.AlgorithmName, Name) { Relationship = relationship };
        yield return new TextItem(Codes.AlgorithmVersion, Version) { Relationship = relationship };
        foreach (var parameter in Parameters)
        {
            yield return new TextItem(Codes.AlgorithmParameters, parameter) { Relationship = relationship };
        }
    }
}
