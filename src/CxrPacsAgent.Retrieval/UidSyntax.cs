namespace CxrPacsAgent.Retrieval;

/// <summary>PS3.5 9.1 UID syntax, checked before a UID becomes a key of the library (retrieval knows no DICOM toolkit).</summary>
internal static class UidSyntax
{
    /// <summary>At most 64 characters of digits and dots; no empty component, no leading zero except a lone "0".</summary>
    public static bool IsValid(string? uid)
    {
        if (string.IsNullOrEmpty(uid) || uid.Length > 64)
        {
            return false;
        }
        foreach (var component in uid.Split('.'))
        {
            if (component.Length == 0 || (component.Length > 1 && component[0] == '0') || !component.All(char.IsAsciiDigit))
            {
                return false;
            }
        }
        return true;
    }
}
