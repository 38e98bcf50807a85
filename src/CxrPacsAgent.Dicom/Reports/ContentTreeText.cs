using System.Globalization;
using System.Text;
using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Reports;

/// <summary>
/// A content tree as indented text, one item a line: relationship, value type, concept name, value. Codes show their
/// meaning then [value, scheme]; references name their SOP class. What <c>cxr-agent report</c> prints.
/// </summary>
public static class ContentTreeText
{
    public static string Format(ContainerItem root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var text = new StringBuilder();
        Append(text, root, 0, isRoot: true);
        return text.ToString();
    }

    /// <summary>One item without its children, e.g. <c>contains NUM Certainty of Finding: 0.83 no units [1, UCUM]</c>.</summary>
    public static string Line(ContentItem item, bool isRoot = false)
    {
        ArgumentNullException.ThrowIfNull(item);
        var relationship = isRoot ? "" : item.Relationship.ToTerm().ToLowerInvariant() + " ";
        if (item is ReferenceItem reference)
        {
            return $"{relationship}(by reference) item {reference.TargetPosition}";
        }
        var type = item is UninterpretedItem other ? other.ValueTypeTerm : item.ValueType.ToTerm();
        var name = item.ConceptName?.Meaning;
        var value = Value(item);
        var separator = item is ContainerItem ? " " : ": ";
        return $"{relationship}{type}{(name is null ? "" : " " + name)}{(value.Length == 0 ? "" : separator + value)}";
    }

    private static void Append(StringBuilder text, ContentItem item, int depth, bool isRoot)
    {
        text.Append(' ', 2 * depth).Append(Line(item, isRoot)).Append('\n');
        foreach (var child in item.Children)
        {
            Append(text, child, depth + 1, isRoot: false);
        }
    }

    private static string Value(ContentItem item) => item switch
    {
        ContainerItem c => c.TemplateIdentifier is { } t ? $"(TID {t})" : "",
        TextItem t => t.Text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " / ", StringComparison.Ordinal),
        CodeItem c => Code(c.Code),
        NumItem n => double.IsNaN(n.Value)
            ? $"no value ({n.Unit.Meaning})"
            : string.Create(CultureInfo.InvariantCulture, $"{n.Value} {Code(n.Unit)}"),
        UidRefItem u => u.Uid,
        DateTimeItem d => d.Value,
        PersonNameItem p => p.PersonName,
        ImageItem i => Reference(i.Reference),
        CompositeItem c => Reference(c.Reference),
        _ => "",
    };

    private static string Code(CodedConcept code) => $"{code.Meaning} [{code.Value}, {code.Scheme}]";

    private static string Reference(SopReference reference) =>
        $"{DicomUid.GetName(reference.SopClassUid)} {reference.SopInstanceUid}";
}
