namespace CxrPacsAgent.Dicom.Reports.Templates;

/// <summary>
/// TID 4019 Algorithm Identification: TEXT Algorithm Name (111001, DCM) modified by Algorithm Version (111003, DCM)
/// and any Algorithm Parameters (111002, DCM), included by its parent with <paramref name="Relationship"/>.
/// </summary>
public sealed record AlgorithmIdentification(string Name, string Version, IReadOnlyList<string> Parameters)
{
    public ContentItem ToContent(RelationshipType relationship = RelationshipType.HasConceptModifier)
    {
        List<ContentItem> modifiers = [new TextItem(Codes.AlgorithmVersion, Version) { Relationship = RelationshipType.HasConceptModifier }];
        modifiers.AddRange(Parameters.Select(p => new TextItem(Codes.AlgorithmParameters, p) { Relationship = RelationshipType.HasConceptModifier }));
        return new TextItem(Codes.AlgorithmName, Name) { Relationship = relationship, Children = modifiers };
    }
}
