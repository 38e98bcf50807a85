namespace CxrPacsAgent.Retrieval.Vectors;

/// <summary>USearch reported a failure (out of memory, unreadable file): the native library's message, unchanged.</summary>
public sealed class USearchException : Exception
{
    public USearchException() : base("USearch failed") { }

    public USearchException(string message) : base(message) { }

    public USearchException(string message, Exception inner) : base(message, inner) { }
}
