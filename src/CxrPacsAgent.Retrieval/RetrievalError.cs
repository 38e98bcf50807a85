namespace CxrPacsAgent.Retrieval;

/// <summary>Why a retrieval operation was refused; logs and metrics count these.</summary>
public enum RetrievalError
{
    /// <summary>A query or entry names another model than the index was opened for: embeddings of different models never mix.</summary>
    ModelMismatch,
    /// <summary>A vector's length differs from the dimensions registered for its model.</summary>
    DimensionMismatch,
    /// <summary>A vector holds NaN or infinity, or is all zeros (no direction, so no cosine similarity).</summary>
    InvalidEmbedding,
    /// <summary>An entry lacks a required attribute or carries a malformed one (e.g. a patient key that is not a hash).</summary>
    InvalidEntry,
    /// <summary>The salt for patient-id hashes is missing or too short.</summary>
    InvalidSalt,
    /// <summary>The database holds the retrieval tables in a newer schema than this agent knows.</summary>
    SchemaTooNew,
    /// <summary>The database could not be read or written (locked past the busy timeout, full disk, damaged file).</summary>
    StoreFailure,
    /// <summary>The configured search engine is missing where it must run (a PostgreSQL server without pgvector), or may not be set up there.</summary>
    SearchUnavailable,
}
