using System.Text;

namespace CxrPacsAgent.Dicom.Network.Pdus;

/// <summary>
/// Application entity titles in PDUs: 16 characters of ISO 646 (ASCII), leading and trailing spaces not significant
/// (PS3.8 9.3.2, PS3.5 6.2 AE). Trailing NULs, which DCMTK and dcm4che also accept, count as padding.
/// </summary>
public static class AeTitle
{
    public const int Length = 16;

    /// <summary>
    /// True for 1–16 characters of printable ASCII other than backslash, not all spaces: control characters (NUL, LF,
    /// ESC, …) and bytes above 7EH make a title invalid.
    /// </summary>
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
            throw new ArgumentException($"'{PeerText.Sanitize(title)}' does not fit an AE title field (16 ASCII characters).", nameof(title));
        }
        destination[..Length].Fill((byte)' ');
        Encoding.ASCII.GetBytes(trimmed, destination);
    }

    /// <summary>
    /// The title as sent, less its padding (spaces and NULs at either end). Every other byte is kept, one char per
    /// byte, so that <see cref="IsValid"/> can refuse it; log it through <see cref="PeerText.Sanitize"/>.
    /// </summary>
    internal static string Decode(ReadOnlySpan<byte> field) => Encoding.Latin1.GetString(field).Trim(' ', '\0');
}
