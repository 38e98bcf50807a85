namespace CxrPacsAgent.Dicom.Network;

/// <summary>
/// Makes a value that came from a peer (AE title, UID, implementation name) safe to write into a log line: anything
/// but printable ASCII becomes '?', so a peer's bytes cannot forge or split log lines, and long values are cut.
/// </summary>
public static class PeerText
{
    /// <summary>Longer than any valid UID (64) or AE title (16), short enough for a log line.</summary>
    public const int MaxLength = 80;

    public static string Sanitize(string? text)
    {
        if (text is null)
        {
            return "";
        }
        var cut = text.Length > MaxLength;
        var span = cut ? text.AsSpan(0, MaxLength) : text.AsSpan();
        if (!cut && !span.ContainsAnyExceptInRange(' ', '~'))
        {
            return text;
        }
        return string.Create(span.Length + (cut ? 1 : 0), text, (destination, source) =>
        {
            for (var i = 0; i < destination.Length; i++)
            {
                var c = i < MaxLength ? source[i] : '…';
                destination[i] = c is >= ' ' and <= '~' or '…' ? c : '?';
            }
        });
    }
}
