namespace CxrPacsAgent.Dicom.Reports;

/// <summary>
/// One node of an SR content tree (PS3.3 C.17.3): a value of some <see cref="ValueType"/> named by a coded concept,
/// related to its parent by <see cref="Relationship"/> (ignored at the root), with its children in order.
/// Trees are immutable; build them bottom-up with object initialisers.
/// </summary>
public abstract record ContentItem
{
    protected ContentItem(CodedConcept? conceptName) => ConceptName = conceptName;

    /// <summary>Concept Name Code Sequence (0040,A043): what the value is. Optional for IMAGE, COMPOSITE and nested CONTAINERs.</summary>
    public CodedConcept? ConceptName { get; init; }

    /// <summary>Relationship Type (0040,A010) to the parent.</summary>
    public RelationshipType Relationship { get; init; } = RelationshipType.Contains;

    public IReadOnlyList<ContentItem> Children { get; init; } = [];

    public abstract ContentValueType ValueType { get; }

    /// <summary>All items of the subtree in document order, this one first.</summary>
    public IEnumerable<ContentItem> Descendants()
    {
        yield return this;
        foreach (var child in Children)
        {
            foreach (var item in child.Descendants())
            {
                yield return item;
            }
        }
    }
}

/// <summary>
/// CONTAINER: headings and groups. <paramref name="TemplateIdentifier"/> names the DCMR template it roots (e.g. "1500").
/// The concept name is required at the root (the document title) and optional below it.
/// </summary>
public sealed record ContainerItem(CodedConcept? ConceptName, bool Continuous = false, string? TemplateIdentifier = null) : ContentItem(ConceptName)
{
    public override ContentValueType ValueType => ContentValueType.Container;
}

/// <summary>TEXT: free text (Text Value, UT).</summary>
public sealed record TextItem(CodedConcept ConceptName, string Text) : ContentItem(ConceptName)
{
    public override ContentValueType ValueType => ContentValueType.Text;
}

/// <summary>CODE: a coded value (Concept Code Sequence).</summary>
public sealed record CodeItem(CodedConcept ConceptName, CodedConcept Code) : ContentItem(ConceptName)
{
    public override ContentValueType ValueType => ContentValueType.Code;
}

/// <summary>NUM: a number with its UCUM unit (Measured Value Sequence).</summary>
public sealed record NumItem(CodedConcept ConceptName, double Value, CodedConcept Unit) : ContentItem(ConceptName)
{
    public override ContentValueType ValueType => ContentValueType.Num;
}

/// <summary>UIDREF: a UID (UID, UI).</summary>
public sealed record UidRefItem(CodedConcept ConceptName, string Uid) : ContentItem(ConceptName)
{
    public override ContentValueType ValueType => ContentValueType.UidRef;
}

/// <summary>DATETIME: a DT value as encoded (YYYYMMDDHHMMSS.FFFFFF&amp;ZZXX, any precision).</summary>
public sealed record DateTimeItem(CodedConcept ConceptName, string Value) : ContentItem(ConceptName)
{
    public override ContentValueType ValueType => ContentValueType.DateTime;
}

/// <summary>PNAME: a person's name (PN).</summary>
public sealed record PersonNameItem(CodedConcept ConceptName, string PersonName) : ContentItem(ConceptName)
{
    public override ContentValueType ValueType => ContentValueType.PersonName;
}

/// <summary>IMAGE: a reference to an image instance (Referenced SOP Sequence).</summary>
public sealed record ImageItem(CodedConcept? ConceptName, SopReference Reference) : ContentItem(ConceptName)
{
    public override ContentValueType ValueType => ContentValueType.Image;
}

/// <summary>COMPOSITE: a reference to any composite instance (Referenced SOP Sequence).</summary>
public sealed record CompositeItem(CodedConcept? ConceptName, SopReference Reference) : ContentItem(ConceptName)
{
    public override ContentValueType ValueType => ContentValueType.Composite;
}

/// <summary>
/// An item of a value type this toolkit reads but does not interpret (SCOORD, TCOORD, WAVEFORM, DATE, TIME, TABLE, …),
/// kept so that a tree read from another writer can still be shown whole. It cannot be written.
/// </summary>
public sealed record UninterpretedItem(CodedConcept? ConceptName, string ValueTypeTerm) : ContentItem(ConceptName)
{
    public override ContentValueType ValueType => ContentValueType.Uninterpreted;
}

/// <summary>
/// A by-reference relationship (PS3.3 C.17.3.2.5): no value of its own, it points at another item of the tree by
/// Referenced Content Item Identifier, the item's position ("1.2.1" is [1, 2, 1]).
/// </summary>
public sealed record ReferenceItem(IReadOnlyList<uint> Target) : ContentItem((CodedConcept?)null)
{
    public override ContentValueType ValueType => ContentValueType.Reference;

    public string TargetPosition => string.Join('.', Target);
}
