namespace CxrPacsAgent.Retrieval;

/// <summary>A refused retrieval operation: <see cref="Error"/> says which rule, the message says what to do.</summary>
public sealed class RetrievalException : Exception
{
    public RetrievalException(RetrievalError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    public RetrievalException() : this(RetrievalError.StoreFailure, "retrieval failed") { }

    public RetrievalException(string message) : this(RetrievalError.StoreFailure, message) { }

    public RetrievalException(string message, Exception inner) : this(RetrievalError.StoreFailure, message, inner) { }

    public RetrievalError Error { get; }
}
