using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Tests.TestSupport;

/// <summary>Structural equality of two data sets: same tags in order, same VRs, byte-identical values and items.</summary>
internal static class DatasetComparer
{
    /// <summary>
    /// The first difference, or null. With <paramref name="implicitVR"/> a private data element (not its creator) is
    /// expected back as UN: an implicit VR reader has no dictionary entry for an unknown creator's elements.
    /// </summary>
    public static string? FirstDifference(DicomDataset expected, DicomDataset actual, bool implicitVR, string path = "")
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var theirs = expected.ToList();
        var ours = actual.ToList();
        for (var i = 0; i < Math.Max(theirs.Count, ours.Count); i++)
        {
            if (i >= theirs.Count || i >= ours.Count || theirs[i].Tag != ours[i].Tag)
            {
                return $"{path}: element {i} is {(i < ours.Count ? ours[i] : "missing")}, expected {(i < theirs.Count ? theirs[i] : "none")}";
            }
            var (e, a) = (theirs[i], ours[i]);
            var where = $"{path}/{e.Tag}";
            var vr = implicitVR && e.Tag.IsPrivate && !e.Tag.IsPrivateCreator && e is DicomElement ? DicomVR.UN : e.VR;
            if (a.VR != vr)
            {
                return $"{where}: VR {a.VR}, expected {vr}";
            }
            switch (e, a)
            {
                case (DicomElement x, DicomElement y) when !x.Buffer.Memory.Span.SequenceEqual(y.Buffer.Memory.Span):
                    return $"{where}: {Convert.ToHexString(y.Buffer.Memory.Span)}, expected {Convert.ToHexString(x.Buffer.Memory.Span)}";
                case (DicomSequence x, DicomSequence y):
                    if (x.Items.Count != y.Items.Count)
                    {
                        return $"{where}: {y.Items.Count} items, expected {x.Items.Count}";
                    }
                    for (var j = 0; j < x.Items.Count; j++)
                    {
                        if (FirstDifference(x.Items[j], y.Items[j], implicitVR, $"{where}[{j}]") is { } inner)
                        {
                            return inner;
                        }
                    }
                    break;
                case (DicomElement, DicomElement):
                    break;
                default:
                    return $"{where}: {a.GetType().Name}, expected {e.GetType().Name}";
            }
        }
        return null;
    }
}
