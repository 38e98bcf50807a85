using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Reports;

/// <summary>
/// Encodes a content tree as the SR Document Content Module (PS3.3 C.17.3): the root CONTAINER's attributes go into
/// the document's top level, every other item into nested Content Sequence items. Items are attached to their parent
/// before their text is set, so they are encoded in the document's Specific Character Set.
/// </summary>
public static class ContentTreeWriter
{
    /// <summary>The Mapping Resource (0008,0105) of the standard's templates.</summary>
    public const string Dcmr = "DCMR";

    /// <summary>Writes <paramref name="root"/> (a CONTAINER) and its subtree into <paramref name="document"/>.</summary>
    public static void Write(DicomDataset document, ContainerItem root)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(root);
        if (root.ConceptName is null)
        {
            throw new ArgumentException("the root CONTAINER needs a concept name: the document title", nameof(root));
        }
        WriteValue(document, root);
    }

    /// <summary>Adds a one-item code sequence holding <paramref name="concept"/>.</summary>
    public static void AddCode(DicomDataset dataset, DicomTag sequence, CodedConcept concept)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(concept);
        var item = new DicomDataset();
        dataset.AddSequence(sequence).Items.Add(item);
        concept.WriteTo(item);
    }

    private static void WriteValue(DicomDataset ds, ContentItem item)
    {
        if (item is ReferenceItem reference)
        {
            ds.AddOrUpdate(DicomTags.ReferencedContentItemIdentifier, [.. reference.Target]);
            return;
        }
        ds.AddOrUpdate(DicomTags.ValueType, item.ValueType.ToTerm());
        if (item.ConceptName is { } name)
        {
            AddCode(ds, DicomTags.ConceptNameCodeSequence, name);
        }
        switch (item)
        {
            case ContainerItem container:
                ds.AddOrUpdate(DicomTags.ContinuityOfContent, container.Continuous ? "CONTINUOUS" : "SEPARATE");
                if (container.TemplateIdentifier is { } template)
                {
                    var templateItem = new DicomDataset();
                    ds.AddSequence(DicomTags.ContentTemplateSequence).Items.Add(templateItem);
                    templateItem.AddOrUpdate(DicomTags.MappingResource, Dcmr);
                    templateItem.AddOrUpdate(DicomTags.TemplateIdentifier, template);
                }
                break;
            case TextItem text:
                ds.AddOrUpdate(DicomTags.TextValue, text.Text);
                break;
            case CodeItem code:
                AddCode(ds, DicomTags.ConceptCodeSequence, code.Code);
                break;
            case NumItem num:
                var measured = new DicomDataset();
                ds.AddSequence(DicomTags.MeasuredValueSequence).Items.Add(measured);
                measured.AddOrUpdateDecimal(DicomTags.NumericValue, num.Value);
                AddCode(measured, DicomTags.MeasurementUnitsCodeSequence, num.Unit);
                break;
            case UidRefItem uid:
                ds.AddOrUpdate(DicomTags.UID, uid.Uid);
                break;
            case DateTimeItem dateTime:
                ds.AddOrUpdate(DicomTags.DateTime, dateTime.Value);
                break;
            case PersonNameItem person:
                ds.AddOrUpdate(DicomTags.PersonName, person.PersonName);
                break;
            case ImageItem image:
                AddSopReference(ds, image.Reference);
                break;
            case CompositeItem composite:
                AddSopReference(ds, composite.Reference);
                break;
            default:
                throw new ArgumentException($"content item {item.GetType().Name} has no encoding", nameof(item));
        }
        if (item.Children.Count > 0)
        {
            var children = ds.AddSequence(DicomTags.ContentSequence);
            foreach (var child in item.Children)
            {
                var childDataset = new DicomDataset();
                children.Items.Add(childDataset);
                childDataset.AddOrUpdate(DicomTags.RelationshipType, child.Relationship.ToTerm());
                WriteValue(childDataset, child);
            }
        }
    }

    private static void AddSopReference(DicomDataset ds, SopReference reference)
    {
        var item = new DicomDataset();
        ds.AddSequence(DicomTags.ReferencedSOPSequence).Items.Add(item);
        item.AddOrUpdate(DicomTags.ReferencedSOPClassUID, reference.SopClassUid);
        item.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, reference.SopInstanceUid);
    }
}
