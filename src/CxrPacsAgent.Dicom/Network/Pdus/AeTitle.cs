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

    /// <summary>
    /// The 16-byte field, space padded. Any printable ASCII fits, so a peer's title is echoed as it came (the AC's AE
    /// fields repeat the RQ's, PS3.8 9.3.3); titles we originate are checked with <see cref="IsValid"/> first.
    /// </summary>
    public static void Encode(string title, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(title);
        var trimmed = title.Trim(' ');
        if (trimmed.Length > Length || trimmed.Any(c => c is < ' ' or > '~'))
        {
            throw new ArgumentException($"'{Sanitize(title)}' does not fit an AE title field (16 ASCII characters).", nameof(title));
        }
        destination[..Length].Fill((byte)' ');
        Encoding.ASCII.GetBytes(trimmed, destination);
    }

    internal static string Decode(ReadOnlySpan<byte> field) => Sanitize(Encoding.ASCII.GetString(field)).Trim(' ');

    /// <summary>Replaces control characters, so a peer's bytes cannot forge log lines.</summary>
    internal static string Sanitize(string text) =>
        text.Any(char.IsControl) ? new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray()) : text;
}
