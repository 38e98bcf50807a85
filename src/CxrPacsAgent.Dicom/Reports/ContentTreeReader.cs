using System.Globalization;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Reports;

/// <summary>
/// Reads the content tree of an SR document (PS3.3 C.17.3) back into <see cref="ContentItem"/>s: what tests and the
/// <c>report</c> verb use to check what was written. Malformed trees give an <see cref="SrContentException"/> naming
/// the item; value types it does not interpret are kept as <see cref="UninterpretedItem"/>.
/// </summary>
public static class ContentTreeReader
{
    /// <summary>Deeper trees are refused; templates nest a few levels, hostile files many.</summary>
    public const int MaxDepth = 32;

    public static ContainerItem Read(DicomDataset document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (ContentValueTypes.Parse(document.GetString(DicomTags.ValueType)) != ContentValueType.Container)
        {
            throw new SrContentException(SrContentError.RootNotContainer, "1",
                $"the root's Value Type (0040,A040) is '{document.GetString(DicomTags.ValueType)}', not CONTAINER: not an SR document");
        }
        return (ContainerItem)ReadItem(document, "1", 0);
    }

    private static ContentItem ReadItem(DicomDataset ds, string position, int depth)
    {
        try
        {
            return ReadItemUnchecked(ds, position, depth);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            // A value of the wrong VR or an unusable code: the file is at fault, not the reader.
            throw new SrContentException(SrContentError.InvalidValue, position, e.Message);
        }
    }

    private static ContentItem ReadItemUnchecked(DicomDataset ds, string position, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new SrContentException(SrContentError.TooDeep, position, $"nested deeper than {MaxDepth} levels");
        }
        if (ds.Contains(DicomTags.ReferencedContentItemIdentifier))
        {
            var target = ds.GetValues<uint>(DicomTags.ReferencedContentItemIdentifier);
            return target.Length > 0 && target[0] == 1
                ? new ReferenceItem(target)
                : throw new SrContentException(SrContentError.InvalidValue, position,
                    $"Referenced Content Item Identifier '{string.Join('.', target)}' does not start at the root (1)");
        }
        var term = ds.GetString(DicomTags.ValueType)
            ?? throw new SrContentException(SrContentError.MissingValueType, position, "no Value Type (0040,A040)");
        var type = ContentValueTypes.Parse(term);
        var name = ReadCode(ds, DicomTags.ConceptNameCodeSequence);
        var optional = type is ContentValueType.Image or ContentValueType.Composite or null
            || (type == ContentValueType.Container && depth > 0);
        if (name is null && !optional)
        {
            throw new SrContentException(SrContentError.MissingConceptName, position,
                $"{term} needs a complete Concept Name Code Sequence (0040,A043)");
        }
        ContentItem item = type switch
        {
            ContentValueType.Container => new ContainerItem(name,
                ds.GetString(DicomTags.ContinuityOfContent) == "CONTINUOUS", ReadTemplate(ds)),
            ContentValueType.Text => new TextItem(name!, Value(ds, DicomTags.TextValue, position, term)),
            ContentValueType.Code => new CodeItem(name!, ReadCode(ds, DicomTags.ConceptCodeSequence)
                ?? throw Missing(position, term, "Concept Code Sequence (0040,A168)")),
            ContentValueType.Num => ReadNum(ds, name!, position),
            ContentValueType.UidRef => new UidRefItem(name!, Value(ds, DicomTags.UID, position, term)),
            ContentValueType.DateTime => new DateTimeItem(name!, Value(ds, DicomTags.DateTime, position, term)),
            ContentValueType.PersonName => new PersonNameItem(name!, ds.GetText(DicomTags.PersonName)
                ?? throw Missing(position, term, "Person Name (0040,A123)")),
            ContentValueType.Image => new ImageItem(name, ReadReference(ds, position, term)),
            ContentValueType.Composite => new CompositeItem(name, ReadReference(ds, position, term)),
            _ => new UninterpretedItem(name, term.Trim()),
        };
        var children = ds.GetSequence(DicomTags.ContentSequence)?.Items ?? [];
        var read = new List<ContentItem>(children.Count);
        for (var i = 0; i < children.Count; i++)
        {
            var childPosition = $"{position}.{i + 1}";
            var relationship = RelationshipTypes.Parse(children[i].GetString(DicomTags.RelationshipType))
                ?? throw new SrContentException(SrContentError.BadRelationship, childPosition,
                    $"Relationship Type (0040,A010) '{children[i].GetString(DicomTags.RelationshipType)}' is missing or unknown");
            read.Add(ReadItem(children[i], childPosition, depth + 1) with { Relationship = relationship });
        }
        return item with { Children = read };
    }

    private static NumItem ReadNum(DicomDataset ds, CodedConcept name, string position)
    {
        var measured = ds.GetSequence(DicomTags.MeasuredValueSequence)?.Items;
        if (measured is null || measured.Count == 0)
        {
            // Type 2: an empty sequence says there is no value (Numeric Value Qualifier says why).
            return new NumItem(name, double.NaN, ReadCode(ds, DicomTags.NumericValueQualifierCodeSequence) ?? NoUnit);
        }
        var text = measured[0].GetString(DicomTags.NumericValue) ?? throw Missing(position, "NUM", "Numeric Value (0040,A30A)");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new SrContentException(SrContentError.InvalidValue, position, $"Numeric Value '{text}' is not a decimal string");
        }
        var unit = ReadCode(measured[0], DicomTags.MeasurementUnitsCodeSequence)
            ?? throw Missing(position, "NUM", "Measurement Units Code Sequence (0040,08EA)");
        return new NumItem(name, value, unit);
    }

    /// <summary>Stands in for the unit of a NUM without a value.</summary>
    private static readonly CodedConcept NoUnit = new("1", "UCUM", "no units");

    private static SopReference ReadReference(DicomDataset ds, string position, string term)
    {
        var item = ds.GetSequence(DicomTags.ReferencedSOPSequence)?.Items.FirstOrDefault()
            ?? throw Missing(position, term, "Referenced SOP Sequence (0008,1199)");
        return new SopReference(
            item.GetString(DicomTags.ReferencedSOPClassUID) ?? throw Missing(position, term, "Referenced SOP Class UID (0008,1150)"),
            item.GetString(DicomTags.ReferencedSOPInstanceUID) ?? throw Missing(position, term, "Referenced SOP Instance UID (0008,1155)"));
    }

    private static string? ReadTemplate(DicomDataset ds) =>
        ds.GetSequence(DicomTags.ContentTemplateSequence)?.Items.FirstOrDefault()?.GetString(DicomTags.TemplateIdentifier)?.Trim();

    private static CodedConcept? ReadCode(DicomDataset ds, DicomTag tag) =>
        ds.GetSequence(tag)?.Items.FirstOrDefault() is { } item ? CodedConcept.TryRead(item) : null;

    private static string Value(DicomDataset ds, DicomTag tag, string position, string term) =>
        ds.GetText(tag) is { } text ? text.Trim() : throw Missing(position, term, DicomDictionary.TryGetEntry(tag, out var e) ? $"{e.Name} {tag}" : tag.ToString());

    private static SrContentException Missing(string position, string term, string what) =>
        new(SrContentError.MissingValue, position, $"{term} has no {what}");
}
