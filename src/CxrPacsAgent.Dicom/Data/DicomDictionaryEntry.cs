namespace CxrPacsAgent.Dicom.Data;

/// <summary>
/// One row of the PS3.6 data dictionary. Repeating-group rows such as the overlay group (60xx,3000) match every tag
/// whose bits under <see cref="Mask"/> equal <see cref="Tag"/>.
/// </summary>
public sealed record DicomDictionaryEntry(
    DicomTag Tag,
    string Keyword,
    string Name,
    IReadOnlyList<DicomVR> ValueRepresentations,
    string ValueMultiplicity,
    bool IsRetired,
    uint Mask = 0xFFFFFFFF)
{
    /// <summary>The VR to use when only one is possible, else the first listed (e.g. OW of "OB or OW").</summary>
    public DicomVR ValueRepresentation => ValueRepresentations.Count > 0 ? ValueRepresentations[0] : DicomVR.UN;

    /// <summary>The parsed <see cref="ValueMultiplicity"/>; 1 where PS3.6 leaves it blank.</summary>
    public DicomValueMultiplicity Multiplicity =>
        ValueMultiplicity.Length == 0 ? new(1, 1, 1) : DicomValueMultiplicity.Parse(ValueMultiplicity.Split(' ')[0]);

    public bool Matches(DicomTag tag) => (tag.Value & Mask) == Tag.Value;
}
