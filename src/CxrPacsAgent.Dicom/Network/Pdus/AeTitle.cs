using System.Text;

namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>
/// Application entity titles in PDUs: 16 characters of ISO 646 (ASCII), leading and trailing spaces not significant
/// (PS3.8 9.3.2, PS3.5 6.2 AE).
/// </summary>
public static class AeTitle
{
    public const int Length = 16;

    /// <summary>True for 1–16 characters of printable ASCII other than backslash, not all spaces.</summary>
    public static bool IsValid(string? title) =>
        !string.IsNullOrWhiteSpace(title) && title.Trim().Length <= Length && title.All(c => c is >= ' ' and <= '~' and not '\\');

    /// <summary>The 16-byte field, space padded. Throws for a title that is not valid.</summary>
    public static void Encode(string title, Span<byte> destination)
    {
        if (!IsValid(title))
        {
            throw new ArgumentException($"'{Sanitize(title ?? "")}' is not a valid AE title (1-16 ASCII characters).", nameof(title));
        }
        destination[..Length].Fill((byte)' ');
        Encoding.ASCII.GetBytes(title.Trim(), destination);
    }

    internal static string Decode(ReadOnlySpan<byte> field) => Sanitize(Encoding.ASCII.GetString(field)).Trim(' ');

    /// <summary>Replaces control characters, so a peer's bytes cannot forge log lines.</summary>
    internal static string Sanitize(string text) =>
        text.Any(char.IsControl) ? new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray()) : text;
}
