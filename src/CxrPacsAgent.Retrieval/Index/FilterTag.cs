namespace CxrPacsAgent.Retrieval.Index;

/// <summary>
/// A 64-bit FNV-1a tag of a Study Instance UID or patient key, kept per vector so that search filters compare numbers
/// rather than strings. 0 means "none". A collision can only exclude an unrelated entry, never include an excluded one:
/// results are checked against the strings afterwards.
/// </summary>
internal static class FilterTag
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Of(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return 0;
        }
        var hash = Offset;
        foreach (var c in value)
        {
            hash = (hash ^ c) * Prime;
        }
        return hash == 0 ? 1 : hash;
    }
}
