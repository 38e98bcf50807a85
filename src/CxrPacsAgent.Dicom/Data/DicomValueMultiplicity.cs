using System.Globalization;

namespace CxrPacsAgent.Dicom.Data;

/// <summary>
/// A value multiplicity as PS3.6 writes it: "1", "1-3", "1-n", "2-2n" (PS3.5 6.4). <see cref="Step"/> is the n-multiple
/// for forms like "3-3n", which require a count that is a multiple of 3.
/// </summary>
public readonly record struct DicomValueMultiplicity(int Minimum, int Maximum, int Step)
{
    public const int Unbounded = int.MaxValue;

    public static DicomValueMultiplicity Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split('-');
        if (parts.Length is < 1 or > 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min))
        {
            throw new FormatException($"'{text}' is not a value multiplicity.");
        }
        if (parts.Length == 1)
        {
            return new(min, min, 1);
        }
        var upper = parts[1];
        if (upper.EndsWith('n'))
        {
            var step = upper.Length == 1 ? 1 : int.Parse(upper[..^1], NumberStyles.None, CultureInfo.InvariantCulture);
            return new(min, Unbounded, step);
        }
        return int.TryParse(upper, NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max >= min
            ? new(min, max, 1)
            : throw new FormatException($"'{text}' is not a value multiplicity.");
    }

    /// <summary>Whether <paramref name="count"/> values satisfy this multiplicity (an empty value always does: type 2).</summary>
    public bool Allows(int count) =>
        count == 0 || (count >= Minimum && count <= Maximum && (Step <= 1 || count % Step == 0));

    public override string ToString() => Maximum == Unbounded
        ? string.Create(CultureInfo.InvariantCulture, $"{Minimum}-{(Step > 1 ? Step.ToString(CultureInfo.InvariantCulture) : "")}n")
        : Minimum == Maximum ? Minimum.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Minimum}-{Maximum}");
}
